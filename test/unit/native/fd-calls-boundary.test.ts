/**
 * The fd-level bindings at the boundary: lengths past FD_IO_MAX_BYTES, vector counts past
 * IOV_MAX + 1, words past their C type, and mistyped arguments are refused before any syscall (no
 * fd and no mapping appear) — by the hand glue (fdio.cc) or the generated glue (exports.cc) with a
 * TypeError/RangeError, or, for a value of the right C type that a wrapper bounds itself (spliceLike's
 * length, fdReach's how), by gm_sys.c with its harness code GM_BAD_ARG — and the calls that could wait in the kernel do not: a splice into the
 * harness's pipe, a lease (released within the call, so a later open of the file does not wait
 * lease-break-time) and the exec probe all return at once.
 */
import { expect, it } from 'vitest';
import { loadBinding, type NativeBinding } from '../../../adapters/native/_internals/binding.js';
import { FD_IO_MAX_BYTES, IOV_COUNT_MAX } from '../../../spec/vocab/index.js';
import { GM_BAD_ARG } from '../../../adapters/native/_internals/ops-fd.js';
import { describeNative, openFds } from './_support.js';
import { mapsCount, refused } from './_guard-support.js';

const b = (): NativeBinding => loadBinding().binding!;



const refusedByWrapper = (call: () => unknown): void => {
  const fds = openFds();
  const maps = mapsCount();
  expect(call()).toBe(GM_BAD_ARG);
  expect(openFds(), 'no fd may leak').toBe(fds);
  expect(mapsCount(), 'no mapping may appear').toBe(maps);
};

describeNative('fd-level bindings at the boundary', () => {
  it('refuses out-of-range lengths, vector counts, words and mistyped arguments before any syscall', () => {
    const n = b();
    const fd = n.memfdCreate(8192n);
    try {
      const raw = <T extends keyof NativeBinding>(k: T) => n[k] as unknown as (...a: unknown[]) => unknown;
      refused(() => raw('fileIov')(fd, 1, 0n, FD_IO_MAX_BYTES + 1, 1, 0, 0));
      refused(() => raw('fileIov')(fd, 0, 0n, 16, IOV_COUNT_MAX + 1, 0, 0));
      refused(() => raw('fileIov')(fd, 6, 0n, 16, 1, 0, 0));
      refusedByWrapper(() => raw('spliceLike')(fd, 4, 0n, BigInt(FD_IO_MAX_BYTES + 1), 0, 1));
      refusedByWrapper(() => raw('spliceLike')(fd, 2, 0n, 1n << 63n, 0, 1));
      refusedByWrapper(() => raw('spliceLike')(fd, 9, 0n, 16n, 0, 1));
      refusedByWrapper(() => raw('spliceLike')(fd, -1, 0n, 16n, 0, 1));
      refused(() => raw('spliceLike')(fd, 4, 0n, 1n << 64n, 0, 1));
      refused(() => raw('spliceLike')(fd, 1, 0n, 16, 2 ** 32, 0));
      refused(() => raw('lseek')(fd, 0n, 2 ** 32));
      refused(() => raw('fdMeta')(fd, 7, 0));
      refused(() => raw('fcntl')(fd, 3, 1n << 64n));
      refused(() => raw('fcntl')(fd, 1025.5, 0n));
      refused(() => raw('passFd')(fd, 'yes'));
      // The rest of the fd-level calls: each table index and the io_uring buffer length bounded by its wrapper.
      refusedByWrapper(() => raw('fdDup')(fd, 5));
      refusedByWrapper(() => raw('fdDup')(fd, -1));
      const [rc] = raw('fdIoctl')(fd, 2 ** 32, 0) as [number, number];
      expect(rc).toBe(GM_BAD_ARG);
      expect((raw('fdIoctl')(fd, -2, 0) as [number, number])[0]).toBe(GM_BAD_ARG);
      refused(() => raw('fdIoctl')(fd, 2, 2 ** 32));
      refused(() => raw('fdIoctl')(fd, 1.5, 0));
      refusedByWrapper(() => raw('fdAdvise')(fd, 3, 0n, 0n, 0));
      refused(() => raw('fdAdvise')(fd, 0, 0n, 1n << 64n, 0));
      refusedByWrapper(() => raw('fdPoll')(fd, 3));
      refusedByWrapper(() => raw('fdUring')(fd, 3, 0n, 16n, 0, 0));
      refusedByWrapper(() => raw('fdUring')(fd, 22, 0n, BigInt(FD_IO_MAX_BYTES + 1), 0, 0));
      refused(() => raw('fdUring')(fd, 22, 0n, 16n, 0, 256));
      refusedByWrapper(() => raw('fdReach')(fd, 4));
      refusedByWrapper(() => raw('fdReach')(fd, -1));
      refused(() => raw('fdReach')(String(fd), 0));
    } finally {
      n.close(fd);
    }
  });

  it('nothing waits: a full-length splice, a held-then-released lease and the exec probe return, and leave no fd', () => {
    const n = b();
    const fd = n.memfdCreate(BigInt(FD_IO_MAX_BYTES));
    const fds = openFds();
    try {
      expect(n.spliceLike(fd, 4, 0n, BigInt(FD_IO_MAX_BYTES), 0, 9)).toBe(FD_IO_MAX_BYTES);
      expect(n.spliceLike(fd, 1, 1n, BigInt(FD_IO_MAX_BYTES), 0, 0)).toBe(FD_IO_MAX_BYTES - 1);
      expect(n.fcntl(fd, 1024, 0n)).toEqual([0, 0]);
      // The lease is gone: re-opening the file would otherwise break it and wait (lease-break-time).
      expect(n.fcntl(fd, 1025, 0n)).toEqual([2, 2]);
      expect(n.fdReach(fd, 1)).toBe(0);
      expect(n.fdReach(fd, 3)).toBe(0); // memfd_create(MFD_CLOEXEC): closed across exec
      expect(openFds()).toBe(fds);
    } finally {
      n.close(fd);
    }
  });
});
