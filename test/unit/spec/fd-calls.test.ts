/**
 * The fd-level calls in the spec (FIO-18..25, CRE-16, LIFE-10..17 and the shmem GEN rules), on
 * gmem under 6.18, upstream (7.2) and the write() series, and on memfd — each expectation worked
 * out from the kernel source named in spec/catalogue/surface-fd-rules.ts.
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618, resolveProfile } from '../../../spec/profiles/index.js';
import { err, ok, type Op, type OpOf, type Profile } from '../../../spec/vocab/index.js';
import { SPEC } from '../../../models/spec-api.js';

const UP = resolveProfile('upstream');
const W = resolveProfile('no-direct-map-v12');
const seek = (offset: bigint, whence: number, fd = 0): Op => ({ kind: 'lseek', fd, offset, whence });
const iov = (call: OpOf<'fileIoV'>['call'], offset: bigint, len: number, iovcnt = 1, rwf = 0): Op => ({ kind: 'fileIoV', fd: 0, call, offset, len, iovcnt, rwf, value: 7 });
const fcntl = (cmd: OpOf<'fcntl'>['cmd'], arg: bigint, fd = 0): Op => ({ kind: 'fcntl', fd, cmd, arg });
const sp = (call: OpOf<'spliceLike'>['call'], offset: bigint, len: number, flags = 0): Op => ({ kind: 'spliceLike', fd: 0, call, offset, len, flags, value: 3 });
const meta = (call: OpOf<'fdMeta'>['call'], mode = 0): Op => ({ kind: 'fdMeta', fd: 0, call, mode });

const gmem = (p: Profile, flags = 0n) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags, reserved: [] });
  return d;
};
const memfd = () => {
  const d = driver(linux618);
  d.one({ kind: 'createMemfd', id: 0, size: 2n * P });
  return d;
};
/** Every outcome the spec allows for the op after the setup, sorted for comparison. */
const allowed = (p: Profile, setup: readonly Op[], op: Op) => {
  let s = SPEC.initialState(p);
  for (const o of setup) { const v = SPEC.step(p, s, o); s = v.next(v.allowed[0]!); }
  return SPEC.step(p, s, op).allowed;
};

describe('gmem: every fd-level call fails where its method or mode bit is missing', () => {
  it('FIO-21: whence above SEEK_HOLE is EINVAL (unsigned), else ESPIPE', () => {
    const d = gmem(linux618);
    for (const w of [0, 1, 2, 3, 4]) expect(d.one(seek(5n, w))).toEqual(err('ESPIPE'));
    for (const w of [5, 2 ** 31, 2 ** 32 - 1]) expect(d.one(seek(0n, w))).toEqual(err('EINVAL'));
    expect(d.one(seek(0n, 9, 3))).toEqual(err('EBADF'));
  });

  it('FIO-18/19/20: read/write family EINVAL, positioned ESPIPE, negative positions EINVAL before the fd, the RWF word never looked at', () => {
    const d = gmem(linux618);
    expect(d.one(iov('readv', 0n, 1, 1025))).toEqual(err('EINVAL'));
    expect(d.one(iov('writev', 0n, 0, 0))).toEqual(err('EINVAL'));
    expect(d.one(iov('preadv2', 0n, 1, 1, -(2 ** 31)))).toEqual(err('ESPIPE'));
    expect(d.one(iov('pwritev2', -1n, 1, 1, 0x30))).toEqual(err('EINVAL'));
    expect(d.one(iov('preadv', -2n, 1))).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'fileIoV', fd: 5, call: 'preadv', offset: -2n, len: 1, iovcnt: 1, rwf: 0, value: 0 })).toEqual(err('EINVAL'));
  });

  it('FIO-22/23, CRE-16: sync EINVAL except syncfs, every setattr EINVAL, f_type by P-FSMAGIC', () => {
    const d = gmem(linux618);
    expect([meta('fsync'), meta('fdatasync'), meta('syncfs'), meta('fchmod', 0o644), meta('fchown'), meta('futimens')].map((o) => d.one(o)))
      .toEqual([err('EINVAL'), err('EINVAL'), ok(), err('EINVAL'), err('EINVAL'), err('EINVAL')]);
    expect(d.one(meta('fstatfs'))).toEqual(ok({ type: 0x09041934, bsize: 4096, namelen: 255 }));
    expect(gmem(UP).one(meta('fstatfs'))).toEqual(ok({ type: 0x474d454d, bsize: 4096, namelen: 255 }));
  });

  it('LIFE-11/12: F_SETFL keeps APPEND/NONBLOCK/NOATIME, refuses O_DIRECT, drops O_ASYNC; argi loses bits 32..63; seals EINVAL', () => {
    const d = gmem(linux618);
    expect(d.one(fcntl('F_GETFL', 0n))).toEqual(ok({ value: 0o100002 }));
    expect(d.one(fcntl('F_SETFL', 0o40000n))).toEqual(err('EINVAL'));
    expect(d.one(fcntl('F_SETFL', 0o20000n | 0o4000n | (1n << 32n)))).toEqual(ok({ value: 0 }));
    expect(d.one(fcntl('F_GETFL', 0n))).toEqual(ok({ value: 0o104002 }));
    expect(d.one(fcntl('F_SETFL', 1n << 33n | 0o40000n))).toEqual(err('EINVAL'));
    expect(d.one(fcntl('F_ADD_SEALS', 1n))).toEqual(err('EINVAL'));
    expect(d.one(fcntl('F_GET_SEALS', 0n))).toEqual(err('EINVAL'));
    expect(d.one(fcntl('F_GETFD', 0n))).toEqual(ok({ value: 0 }));
    expect(d.one(fcntl('F_SETFD', 1n | (1n << 40n)))).toEqual(ok({ value: 0 }));
    expect(d.one({ kind: 'fdFlags', fd: 0 })).toEqual(ok({ accmode: 'O_RDWR', cloexec: true }));
    expect(d.one({ kind: 'fdReach', fd: 0, how: 'execKeeps' })).toEqual(ok({ open: false }));
  });

  it('LIFE-13: leases are generic on 6.18 (RDLCK granted, WRLCK EAGAIN); under GMEMFS both 6.19 and 7.x answers are allowed', () => {
    const d = gmem(linux618);
    expect(d.one(fcntl('F_SETLEASE', 0n))).toEqual(ok({ value: 0 }));
    expect(d.one(fcntl('F_SETLEASE', 1n))).toEqual(err('EAGAIN'));
    expect(d.one(fcntl('F_SETLEASE', 1n << 32n))).toEqual(ok({ value: 0 }));
    expect(d.one(fcntl('F_SETLEASE', 3n))).toEqual(err('EINVAL'));
    const setup: Op[] = [{ kind: 'createVm', id: 0, type: 0n }, { kind: 'createGmem', vm: 0, id: 0, size: P, flags: 0n, reserved: [] }];
    expect(allowed(UP, setup, fcntl('F_SETLEASE', 1n))).toEqual([err('EAGAIN'), err('EINVAL')]);
    expect(allowed(UP, setup, fcntl('F_SETLEASE', 3n))).toEqual([err('EINVAL')]);
  });

  it('LIFE-13: POSIX and OFD locks conflict across owners; a close drops the POSIX one', () => {
    const d = gmem(linux618);
    expect(d.one(fcntl('F_SETLK', 1n))).toEqual(ok({ value: 0 }));
    expect(d.one(fcntl('F_OFD_SETLK', 0n))).toEqual(err('EAGAIN'));
    expect(d.one(fcntl('F_OFD_GETLK', 0n))).toEqual(ok({ value: 1 }));
    expect(d.one(fcntl('F_GETLK', 1n))).toEqual(ok({ value: 2 }));
    expect(d.one(fcntl('F_GETLK', 2n))).toEqual(err('EINVAL'));
    d.one({ kind: 'dup', fd: 0, id: 1 });
    d.one({ kind: 'close', fd: 1 });
    expect(d.one(fcntl('F_OFD_SETLK', 1n))).toEqual(ok({ value: 0 }));
    expect(d.one(fcntl('F_OFD_GETLK', 2n))).toEqual(ok({ value: 1 }));
  });

  it('FIO-25: the splice family never moves a byte; each call fails at its first check', () => {
    const d = gmem(linux618);
    expect([sp('sendfileOut', 0n, 1), sp('sendfileOut', -1n, 1), sp('sendfileOut', -1n, 0), sp('spliceOut', 0n, 1), sp('spliceOut', 0n, 0, 2 ** 31),
      sp('spliceOut', -1n, 4, 0x10), sp('spliceIn', -1n, 4), sp('sendfileIn', 0n, 4), sp('sendfileIn', 0n, 0), sp('copyOut', 0n, 0), sp('copyIn', 0n, 4, 1)].map((o) => d.one(o)))
      .toEqual([err('ESPIPE'), err('EINVAL'), ok({ count: 0 }), err('EINVAL'), ok({ count: 0 }), err('EINVAL'), err('EINVAL'), err('EINVAL'), ok({ count: 0 }), err('EXDEV'), err('EINVAL')]);
    d.one(fcntl('F_SETFL', 0o2000n));
    expect(d.one(sp('copyIn', 0n, 4))).toEqual(err('EBADF'));
  });

  it('LIFE-10/16: SCM_RIGHTS names the same file; re-open ENXIO except O_PATH', () => {
    const d = gmem(linux618);
    expect(d.one({ kind: 'passFd', fd: 0, id: 1, cloexec: true })).toEqual(ok());
    expect(d.one({ kind: 'sameInode', fd: 0, other: 1 })).toEqual(ok(true));
    expect(d.one({ kind: 'fdFlags', fd: 1 })).toEqual(ok({ accmode: 'O_RDWR', cloexec: true }));
    expect(d.one({ kind: 'fdReach', fd: 0, how: 'reopenRdwr' })).toEqual(err('ENXIO'));
    expect(d.one({ kind: 'fdReach', fd: 0, how: 'reopenPath' })).toEqual(ok());
    expect(d.one({ kind: 'fdReach', fd: 0, how: 'execKeeps' })).toEqual(ok({ open: true }));
    expect(d.one({ kind: 'fdReach', fd: 1, how: 'execKeeps' })).toEqual(ok({ open: false }));
    expect(d.one({ kind: 'fdReach', fd: 7, how: 'reopenRdonly' })).toEqual(err('ENOENT'));
  });

  it('the write() series: default_llseek, and writev/pwritev write through the population path', () => {
    const d = gmem(W, 4n | 1n | 2n);
    expect(d.one(seek(P, 0))).toEqual(ok({ offset: P }));
    expect(d.one(seek(0n, 3))).toEqual(ok({ offset: 0n }));
    expect(d.one(seek(4n * P, 4))).toEqual(err('ENXIO'));
    expect(d.one(iov('preadv', 0n, 1))).toEqual(err('ESPIPE'));
    expect(d.one(iov('pwritev2', 0n, 4096, 2, 8))).toEqual(err('EOPNOTSUPP'));
    expect(d.one(iov('pwritev', 0n, 4096, 2))).toEqual(ok({ count: 4096 }));
  });
});

describe('memfd: the shmem answers', () => {
  it('GEN-SHMEM-SEEK: DATA/HOLE follow up-to-date folios; a fallocated page is a hole', () => {
    const d = memfd();
    expect(d.one(seek(0n, 3))).toEqual(err('ENXIO'));
    expect(d.one(seek(0n, 4))).toEqual(ok({ offset: 0n }));
    d.one(iov('pwritev', 4100n, 1));
    d.one({ kind: 'fallocate', fd: 0, mode: 1, offset: 0n, len: P });
    expect([seek(0n, 3), seek(4096n, 4), seek(8191n, 3), seek(8192n, 3), seek(-5n, 2), seek(-1n, 3)].map((o) => d.one(o)))
      .toEqual([ok({ offset: 4096n }), ok({ offset: 8192n }), ok({ offset: 8191n }), err('ENXIO'), ok({ offset: 8187n }), err('ENXIO')]);
  });

  it('GEN-SHMEM-SEEK: at the last page below 2^63 the kernel defect (obs:FDC-08) is allowed beside the right answer', () => {
    const setup: Op[] = [{ kind: 'createMemfd', id: 0, size: P }, iov('pwritev', (1n << 63n) - P, 100)];
    expect(allowed(linux618, setup, seek((1n << 63n) - P, 4))).toEqual([ok({ offset: (1n << 63n) - P + 100n }), ok({ offset: -(1n << 63n) })]);
    expect(allowed(linux618, setup, seek((1n << 63n) - 4000n, 3))).toEqual([ok({ offset: (1n << 63n) - 4000n }), err('ENXIO')]);
    expect(allowed(linux618, setup, seek(0n, 4))).toEqual([ok({ offset: 0n })]);
  });

  it('GEN-SHMEM-IOV: vector edges, the RWF word, O_APPEND and RWF_NOAPPEND', () => {
    const d = memfd();
    expect([iov('readv', 0n, 9, 0), iov('readv', 0n, 9, 1025), iov('preadv2', 0n, 0, 0, 8), iov('preadv2', 0n, 4, 1, 8), iov('pwritev2', 0n, 4, 1, 0x30), iov('pwritev2', 0n, 4, 1, 0x200)].map((o) => d.one(o)))
      .toEqual([ok({ count: 0 }), err('EINVAL'), ok({ count: 0 }), err('EOPNOTSUPP'), err('EINVAL'), err('EOPNOTSUPP')]);
    d.one(fcntl('F_SETFL', 0o2000n));
    expect(d.one(iov('pwritev2', 0n, 4, 1, 0x20))).toEqual(ok({ count: 4 }));
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(ok({ size: 2n * P, blksize: 4096, mode: 0o100777 }));
    expect(d.one(iov('pwritev', 0n, 4))).toEqual(ok({ count: 4 }));
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(ok({ size: 2n * P + 4n, blksize: 4096, mode: 0o100777 }));
    expect(d.one({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 0n, len: 2, value: 1 })).toEqual(ok({ count: 2 }));
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(ok({ size: 2n * P + 6n, blksize: 4096, mode: 0o100777 }));
  });

  it('GEN-SHMEM-ATTR: fchmod masks 07777, fchown drops S_ISUID and S_ISGID with group-exec', () => {
    const d = memfd();
    d.one(meta('fchmod', 0o6775));
    d.one(meta('fchown'));
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(ok({ size: 2n * P, blksize: 4096, mode: 0o100775 }));
    d.one(meta('fchmod', 0xffffffff));
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(ok({ size: 2n * P, blksize: 4096, mode: 0o107777 }));
  });

  it('GEN-SPLICE: moves bytes, stops at EOF, wraps and appends refused', () => {
    const d = memfd();
    expect([sp('sendfileOut', 8000n, 4096), sp('copyOut', -2n, 4), sp('copyOut', -3n, 2), sp('spliceIn', 3n * P, 100), sp('sendfileOut', -1n, 100)].map((o) => d.one(o)))
      .toEqual([ok({ count: 192 }), err('EOVERFLOW'), err('EINVAL'), ok({ count: 100 }), ok({ count: 100 })]);
    expect(d.one(seek(0n, 1))).toEqual(ok({ offset: 100n }));
    d.one(fcntl('F_SETFL', 0o2000n));
    expect([sp('spliceIn', 0n, 4), sp('sendfileIn', 0n, 4), sp('copyIn', 0n, 4)].map((o) => d.one(o))).toEqual([err('EINVAL'), err('EINVAL'), err('EBADF')]);
  });

  it('GEN-SEALS via LIFE-11: a memfd without MFD_ALLOW_SEALING is sealed against sealing', () => {
    const d = memfd();
    expect([fcntl('F_ADD_SEALS', 1n), fcntl('F_ADD_SEALS', 0x40n), fcntl('F_GET_SEALS', 0n)].map((o) => d.one(o))).toEqual([err('EPERM'), err('EINVAL'), ok({ value: 1 })]);
  });
});
