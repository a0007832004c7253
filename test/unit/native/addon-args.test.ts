/**
 * The addon is the last line (issue 12, defects 1, 9 and 10): every argument of every raw binding
 * is converted with a check, and a failed check throws TypeError/RangeError *before* any syscall.
 * Before this, the addon was built without C++ exceptions and a failed Napi conversion left a
 * pending exception and a 0 argument, so the call still went out: each mistyped call leaked an fd,
 * a BigInt ≥ 2^64 was silently truncated to its low 64 bits, a double was cast to int64 without a
 * range check, and a 7th reserved word was dropped. Each case here failed on that code.
 */
import { expect, it } from 'vitest';
import { IOCTL } from '../../../spec/vocab/index.js';
import { loadBinding, type NativeBinding } from '../../../adapters/native/_internals/binding.js';
import { describeNative } from './_support.js';
import { refused } from './_guard-support.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/index.js';

const b = (): NativeBinding => loadBinding().binding!;


describeNative('native addon argument checks (the last line)', () => {
  it('a wrongly typed or missing argument throws and issues nothing (no fd leaked)', () => {
    const n = b();
    const bad: unknown[] = ['4096', undefined, null, {}, [], true, Symbol('x'), 4096.5, Number.NaN];
    for (const v of bad) refused(() => (n.memfdCreate as (x: unknown) => unknown)(v));
    refused(() => (n.memfdCreate as () => unknown)());
    refused(() => (n.openKvm as (x: unknown) => unknown)('extra'));
    const kvm = n.openKvm();
    try {
      const ioctl = n.ioctlInt as (...a: unknown[]) => unknown;
      // Each of these created a VM (and leaked its fd) before: the bad value read as 0.
      for (const v of ['0', null, 1.5, {}]) refused(() => ioctl(kvm, IOCTL.KVM_CREATE_VM, v));
      refused(() => ioctl(kvm, IOCTL.KVM_CREATE_VM, 0, 'extra'));
      refused(() => ioctl(String(kvm), IOCTL.KVM_CREATE_VM, 0));
    } finally {
      n.close(kvm);
    }
  });

  it('a BigInt outside the 64 bits the kernel can receive throws (no truncation to the low 64 bits)', () => {
    const n = b();
    const fd = n.memfdCreate(P);
    try {
      for (const len of [(1n << 64n) + P, 1n << 127n, -(1n << 64n) + P, -(1n << 63n) - 1n]) {
        refused(() => n.mmap(fd, 0n, len, 3n, true));
        refused(() => n.ftruncate(fd, len));
        refused(() => n.fallocate(fd, 0, 0n, len));
      }
      // The edges of what 64 bits carry are passed on: the kernel answers.
      expect(n.ftruncate(fd, (1n << 64n) - 1n)).toBe(-22);
      expect(n.ftruncate(fd, -(1n << 63n))).toBe(-22);
    } finally {
      n.close(fd);
    }
  });

  it('a Number that is not a safe integer (NaN, ±Infinity, 1e300, 1.5) throws instead of an unchecked cast', () => {
    const n = b();
    const fd = n.memfdCreate(P);
    try {
      for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, -1e300, 1.5, 2 ** 53 + 2]) {
        refused(() => (n.ftruncate as (a: number, b: unknown) => number)(fd, v));
        refused(() => n.fileIo(fd, 0, 0n, v, 0));
        refused(() => n.dup(v));
      }
    } finally {
      n.close(fd);
    }
  });

  it('a C int argument outside 32 bits throws instead of wrapping onto another fd', () => {
    const n = b();
    const fd = n.memfdCreate(P);
    try {
      // 2^32 + fd wrapped to fd before: dup() of it succeeded and leaked a descriptor.
      refused(() => n.dup(2 ** 32 + fd));
      refused(() => n.close(2 ** 32 + 1_000_000));
      refused(() => n.madvise(0n, P, 2 ** 33));
    } finally {
      n.close(fd);
    }
  });

  it('createGmem takes at most the 6 reserved words the ABI has; a 7th throws instead of being dropped', () => {
    const n = b();
    const kvm = n.openKvm();
    const vm = n.ioctlInt(kvm, IOCTL.KVM_CREATE_VM, 0);
    try {
      refused(() => n.createGmem(vm, P, 0n, Array(7).fill(0n)));
      refused(() => n.createGmem(vm, P, 0n, [0n, 1 as unknown as bigint]));
      refused(() => n.createGmem(vm, P, 0n, 'xx' as unknown as bigint[]));
      // Six words are what the kernel receives: its answer (ENOTTY without guest_memfd) comes back.
      const rc = n.createGmem(vm, P, 0n, Array(6).fill(0n));
      expect(typeof rc).toBe('number');
      if (rc >= 0) n.close(rc);
    } finally {
      n.close(vm);
      n.close(kvm);
    }
  });

  it('buffers sized by an argument are bounded (mincore vector, I/O and COPY buffers)', () => {
    const n = b();
    const fd = n.memfdCreate(P);
    try {
      refused(() => n.mincore(0x10000000n, 2 ** 31));
      refused(() => n.fileIo(fd, 0, 0n, 2 ** 40, 0));
      refused(() => n.kernelAccess(0, 0x10000000n, 1n << 40n, 1n << 40n, 0));
      refused(() => n.kernelAccess(0, 0x10000000n, 4096n, 8192n, 0));
      refused(() => n.kernelAccess(9, 0x10000000n, 4096n, 4096n, 0));
      refused(() => n.directIo(-1, 0x10000000n, 1n << 40n, false, 0));
      refused(() => n.uffdResolve(-1, 0, 0x10000000n, 1n << 40n, 0));
    } finally {
      n.close(fd);
    }
  });

  it('uffd features whose events would block the only reader (FORK, REMAP, REMOVE, UNMAP) are refused before a uffd exists', () => {
    const n = b();
    for (const bit of [1, 2, 3, 6]) refused(() => n.uffdCreate(BigInt(1 << bit)));
    // Safe features (and bits this kernel does not know, which it rejects itself) still reach the kernel.
    const fd = n.uffdCreate(BigInt((1 << 5) | (1 << 10)));
    expect(fd).toBeGreaterThanOrEqual(0);
    n.close(fd);
    expect(n.uffdCreate(BigInt(1 << 30))).toBe(-22);
  });
});
