import { describe, it, expect } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { writeV6, noDirectMapV12 } from '../../../spec/profiles/series.js';
import { FALLOC, err, ok, type Op } from '../../../spec/vocab/index.js';

const KP = FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE;
const setup = (p = linux618, flags = 3n, size = 4n * P) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size, flags, reserved: [] });
  return d;
};
const fa = (mode: number, offset: bigint, len: bigint): Op => ({ kind: 'fallocate', fd: 0, mode, offset, len });
const io = (call: 'read' | 'write' | 'pread' | 'pwrite' | 'lseek' | 'fsync', offset = 0n, len = 1): Op => ({ kind: 'fileIo', fd: 0, call, offset, len, value: 0xaa });

describe('file operations (FIO)', () => {
  it('FIO-1/2/14: read/write EINVAL, pread/pwrite/lseek ESPIPE, fsync/ftruncate EINVAL', () => {
    const d = setup();
    expect(d.one(io('read'))).toEqual(err('EINVAL'));
    expect(d.one(io('write', 0n, 0))).toEqual(err('EINVAL'));
    expect(d.one(io('pread'))).toEqual(err('ESPIPE'));
    expect(d.one(io('pwrite'))).toEqual(err('ESPIPE'));
    expect(d.one(io('pwrite', 1n << 63n))).toEqual(err('EINVAL'));
    expect(d.one(io('lseek'))).toEqual(err('ESPIPE'));
    expect(d.one(io('fsync'))).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'ftruncate', fd: 0, size: 4n * P })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'ftruncate', fd: 7, size: 1n << 63n })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'ftruncate', fd: 7, size: 0n })).toEqual(err('EBADF'));
  });

  it('FIO-3..8: fallocate precedence and ranges', () => {
    const d = setup();
    expect(d.one(fa(0, 0n, P))).toEqual(err('EOPNOTSUPP'));
    expect(d.one(fa(FALLOC.PUNCH_HOLE, 0n, P))).toEqual(err('EOPNOTSUPP'));
    expect(d.one(fa(FALLOC.KEEP_SIZE | FALLOC.ZERO_RANGE, 0n, P))).toEqual(err('EOPNOTSUPP'));
    expect(d.one(fa(KP | FALLOC.NO_HIDE_STALE, 0n, P))).toEqual(err('EOPNOTSUPP'));
    expect(d.one(fa(-1, 0n, P))).toEqual(err('EOPNOTSUPP'));
    expect(d.one(fa(KP, 1n, 0n))).toEqual(err('EINVAL'));
    expect(d.one(fa(FALLOC.ZERO_RANGE, 1n, P))).toEqual(err('EOPNOTSUPP')); // mode before alignment
    expect(d.one(fa(KP, 1n, P))).toEqual(err('EINVAL'));
    expect(d.one(fa(KP, (1n << 62n), (1n << 62n)))).toEqual(err('EFBIG'));
    expect(d.one(fa(FALLOC.KEEP_SIZE, 0n, 4n * P))).toEqual(ok());
    expect(d.one(fa(FALLOC.KEEP_SIZE, 4n * P, P))).toEqual(err('EINVAL'));
    expect(d.one(fa(FALLOC.KEEP_SIZE, 3n * P, 2n * P))).toEqual(err('EINVAL'));
    expect(d.one(fa(KP, 4n * P, P))).toEqual(ok());
    expect(d.one(fa(KP, 1n << 40n, 1n << 40n))).toEqual(ok());
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(ok({ size: 4n * P, blksize: 4096, mode: 0o100600 }));
  });

  it('FIO-9/10: punch zeroes, allocate keeps data', () => {
    const d = setup();
    d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true });
    d.one({ kind: 'store', map: 0, offset: 10n, value: 0xaa, onUserfault: 'COPY', fill: 0 });
    d.one({ kind: 'store', map: 0, offset: P + 10n, value: 0xbb, onUserfault: 'COPY', fill: 0 });
    expect(d.one(fa(FALLOC.KEEP_SIZE, 0n, 4n * P))).toEqual(ok());
    expect(d.one({ kind: 'load', map: 0, offset: 10n, onUserfault: 'COPY', fill: 0 })).toEqual(ok({ value: 0xaa }));
    expect(d.one(fa(KP, 0n, P))).toEqual(ok());
    expect(d.one({ kind: 'load', map: 0, offset: 10n, onUserfault: 'COPY', fill: 0 })).toEqual(ok({ value: 0 }));
    expect(d.one({ kind: 'load', map: 0, offset: P + 10n, onUserfault: 'COPY', fill: 0 })).toEqual(ok({ value: 0xbb }));
  });

  it('memfd: read/write use the file position; truncate frees; punch zeroes partial pages', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 2n * P });
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'write', offset: 0n, len: 3, value: 7 })).toEqual(ok({ count: 3 }));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'pread', offset: 2n, len: 10, value: 0 })).toEqual(ok({ count: 10 }));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'read', offset: 0n, len: 10, value: 0 })).toEqual(ok({ count: 10 }));
    expect(d.one(fa(KP, 1n, 1n))).toEqual(ok());
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'pread', offset: 0n, len: 3, value: 0 })).toEqual(ok({ count: 3 }));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'pread', offset: 1n, len: 3, value: 0 })).toEqual(ok({ count: 3 }));
    expect(d.one({ kind: 'ftruncate', fd: 0, size: 1n })).toEqual(ok());
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(ok({ size: 1n, blksize: 4096, mode: 0o100777 }));
  });

  it('FIO-15: pwrite population under the write() series; DMAP-6 write-once', () => {
    const d = setup(writeV6);
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 0n, len: 4096, value: 5 })).toEqual(ok({ count: 4096 }));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 1n, len: 4096, value: 5 })).toEqual(err('EINVAL'));
    d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true });
    expect(d.one({ kind: 'load', map: 0, offset: 100n, onUserfault: 'COPY', fill: 0 })).toEqual(ok({ value: 5 }));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'lseek', offset: 2n * P, len: 0, value: 0 })).toEqual(ok({ offset: 2n * P }));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'write', offset: 0n, len: 4096, value: 8 })).toEqual(ok({ count: 4096 }));
    // FIO-29: the position is 3P of 4P; the second page runs past EOF, so the count is short.
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'write', offset: 0n, len: 8192, value: 8 })).toEqual(ok({ count: 4096 }));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'write', offset: 0n, len: 4096, value: 8 })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'read', offset: 0n, len: 1, value: 0 })).toEqual(err('EINVAL'));
    const n = setup(noDirectMapV12, 7n);
    expect(n.one({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 0n, len: 4096, value: 5 })).toEqual(ok({ count: 4096 }));
    expect(n.one({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 0n, len: 4096, value: 6 })).toEqual(err('EEXIST'));
  });

  it('GEN-SHMEM-RW: a memfd transfer ending past LLONG_MAX is EINVAL (rw_verify_area), one ending at it succeeds', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 4096n });
    const io = (call: 'pread' | 'pwrite', offset: bigint, len: number): Op => ({ kind: 'fileIo', fd: 0, call, offset, len, value: 1 });
    expect(d.one(io('pwrite', 0x7ffffffffffff000n, 4096))).toEqual(err('EINVAL'));
    expect(d.one(io('pread', 0x7ffffffffffff000n, 4096))).toEqual(err('EINVAL'));
    expect(d.one(io('pwrite', 0x7fffffffffffefffn, 4096))).toEqual(ok({ count: 4096 }));
  });
});
