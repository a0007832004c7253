/**
 * The emulator's fd-level calls (adapters/emulator/ops/fdcalls.ts), each against the outcome worked
 * out by hand from the kernel source (not from the spec): gmem files fail where the struct file
 * lacks a method or mode bit, memfds behave as shmem.
 */
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../../spec/profiles/index.js';
import { err, ok, type Op, type OpOf } from '../../../spec/vocab/index.js';
import { gmem, LINUX_618, P, run, vm } from './_fixtures.js';

const UP = resolveProfile('upstream');
const fcntl = (cmd: OpOf<'fcntl'>['cmd'], arg: bigint, fd = 0): Op => ({ kind: 'fcntl', fd, cmd, arg });
const seek = (offset: bigint, whence: number): Op => ({ kind: 'lseek', fd: 0, offset, whence });
const sp = (call: OpOf<'spliceLike'>['call'], offset: bigint, len: number, flags = 0): Op => ({ kind: 'spliceLike', fd: 0, call, offset, len, flags, value: 3 });
const iov = (call: OpOf<'fileIoV'>['call'], offset: bigint, len: number, iovcnt = 1, rwf = 0): Op => ({ kind: 'fileIoV', fd: 0, call, offset, len, iovcnt, rwf, value: 7 });
const memfd: Op = { kind: 'createMemfd', id: 0, size: 2n * P };

describe('emulator: fd-level calls on gmem', () => {
  it('lseek, vectored I/O and the splice family fail at the missing method or mode bit', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), seek(0n, 3), seek(0n, 2 ** 31), iov('preadv2', 0n, 1, 1, -1), iov('readv', 0n, 1, 1025), iov('preadv', -3n, 1),
      sp('sendfileOut', 0n, 4), sp('sendfileOut', -1n, 4), sp('spliceOut', 0n, 0, 2 ** 31), sp('spliceIn', 0n, 4), sp('copyOut', 0n, 4), sp('sendfileIn', 0n, 0)]);
    expect(out.slice(2)).toEqual([err('ESPIPE'), err('EINVAL'), err('ESPIPE'), err('EINVAL'), err('EINVAL'),
      err('ESPIPE'), err('EINVAL'), ok({ count: 0 }), err('EINVAL'), err('EXDEV'), ok({ count: 0 })]);
  });

  it('fcntl: flags, seals, locks; leases generic on the anon-inode file, EINVAL on the guest_memfd fs', async () => {
    const ops = [vm(), gmem(), fcntl('F_SETFL', 0o40000n), fcntl('F_SETFL', 0o2000n | 0o20000n), fcntl('F_GETFL', 0n), fcntl('F_ADD_SEALS', 1n),
      fcntl('F_SETLK', 1n), fcntl('F_OFD_SETLK', 0n), fcntl('F_OFD_GETLK', 2n), fcntl('F_SETLEASE', 0n), fcntl('F_SETLEASE', 1n)];
    expect((await run(LINUX_618, ops)).slice(2)).toEqual([err('EINVAL'), ok({ value: 0 }), ok({ value: 0o102002 }), err('EINVAL'),
      ok({ value: 0 }), err('EAGAIN'), ok({ value: 2 }), ok({ value: 0 }), err('EAGAIN')]);
    expect((await run(UP, ops)).slice(-2)).toEqual([err('EINVAL'), err('EINVAL')]);
  });

  it('attributes EINVAL, fstatfs by filesystem, re-open ENXIO, SCM_RIGHTS and exec follow close-on-exec', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), { kind: 'fdMeta', fd: 0, call: 'fchown', mode: 0 }, { kind: 'fdMeta', fd: 0, call: 'fstatfs', mode: 0 },
      { kind: 'fdReach', fd: 0, how: 'reopenRdonly' }, { kind: 'fdReach', fd: 0, how: 'reopenPath' }, { kind: 'passFd', fd: 0, id: 1, cloexec: true },
      { kind: 'fdReach', fd: 1, how: 'execKeeps' }, { kind: 'fdReach', fd: 0, how: 'execKeeps' }]);
    expect(out.slice(2)).toEqual([err('EINVAL'), ok({ type: 0x09041934, bsize: 4096, namelen: 255 }), err('ENXIO'), ok(), ok(), ok({ open: false }), ok({ open: true })]);
  });
});

describe('emulator: fd-level calls on memfd', () => {
  it('SEEK_DATA/HOLE, O_APPEND writes, the splice family moving bytes', async () => {
    const out = await run(LINUX_618, [memfd, seek(0n, 3), iov('pwritev', 4100n, 1), { kind: 'fallocate', fd: 0, mode: 1, offset: 0n, len: P },
      seek(0n, 3), seek(4096n, 4), fcntl('F_SETFL', 0o2000n), iov('pwritev', 0n, 4), { kind: 'fstat', fd: 0 }, sp('copyIn', 0n, 4),
      fcntl('F_SETFL', 0n), sp('spliceIn', 3n * P, 10), sp('copyOut', -2n, 4), sp('sendfileOut', -1n, 5), seek(0n, 1)]);
    expect(out.slice(1)).toEqual([err('ENXIO'), ok({ count: 1 }), ok(), ok({ offset: 4096n }), ok({ offset: 8192n }), ok({ value: 0 }), ok({ count: 4 }),
      ok({ size: 8196n, blksize: 4096, mode: 0o100777 }), err('EBADF'), ok({ value: 0 }), ok({ count: 10 }), err('EOVERFLOW'), ok({ count: 5 }), ok({ offset: 8197n })]);
  });
});
