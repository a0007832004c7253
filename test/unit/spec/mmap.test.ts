import { describe, it, expect } from 'vitest';
import { driver, P } from './helpers.js';
import { resolveProfile } from '../../../spec/profiles/index.js';
import { step } from '../../../spec/index.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { err, ok, sigbus, type Op } from '../../../spec/vocab/index.js';

const setup = (flags = 3n, size = 4n * P) => {
  const d = driver(linux618);
  d.one({ kind: 'createVm', id: 0, type: 0 });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size, flags, reserved: [] });
  return d;
};
const mmap = (id: number, length: bigint, prot = 3, shared = true, offset = 0n): Op => ({ kind: 'mmap', fd: 0, id, offset, length, prot, shared });
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const store = (map: number, offset: bigint, value = 0xaa): Op => ({ kind: 'store', map, offset, value, onUserfault: 'COPY', fill: 0 });

describe('mmap and host faults (MAP)', () => {
  it('MAP-1/2/3: ENODEV before EINVAL; EPERM for exec', () => {
    const a = setup(2n);
    expect(a.one(mmap(0, P, 3, false))).toEqual(err('ENODEV'));
    expect(a.one(mmap(0, P, 5))).toEqual(err('EPERM'));
    const b = setup(1n);
    expect(b.one(mmap(0, P, 3, false))).toEqual(err('EINVAL'));
    expect(b.one(mmap(0, 0n))).toEqual(err('EINVAL'));
    expect(b.one(mmap(0, P, 3, true, 1n))).toEqual(err('EINVAL'));
    expect(b.one(mmap(0, P, 3, true, 1n << 62n))).toEqual(ok());
  });

  it('MAP-4/5: SIGBUS at EOF with the exact offset; private-only SIGBUS', () => {
    const d = setup(3n);
    d.one(mmap(0, 16n * P));
    expect(d.one(store(0, 4n * P - 1n))).toEqual(ok());
    expect(d.one(load(0, 4n * P + 5n))).toEqual(sigbus(4n * P + 5n));
    expect(d.one(load(0, 16n * P))).toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: 16n * P });
    const p = setup(1n);
    p.one(mmap(0, P));
    expect(p.one(load(0, 7n))).toEqual(sigbus(7n));
    expect(p.one({ kind: 'fallocate', fd: 0, mode: 1, offset: 0n, len: P })).toEqual(ok());
    expect(p.one(store(0, 7n))).toEqual(sigbus(7n));
  });

  it('MAP-6/14: data shared across mappings, survives munmap and DONTNEED; LIFE-1', () => {
    const d = setup();
    d.one(mmap(0, P));
    d.one(mmap(1, P));
    expect(d.one(load(0, 3n))).toEqual(ok({ value: 0 }));
    d.one(store(0, 3n, 9));
    expect(d.one(load(1, 3n))).toEqual(ok({ value: 9 }));
    d.one({ kind: 'munmap', map: 0 });
    expect(d.one({ kind: 'munmap', map: 0 })).toEqual(ok());
    expect(d.one(load(0, 3n))).toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: 3n });
    expect(d.one({ kind: 'madvise', map: 1, offset: 0n, length: P, advice: 'DONTNEED' })).toEqual(ok());
    d.one({ kind: 'close', fd: 0 });
    expect(d.one(load(1, 3n))).toEqual(ok({ value: 9 }));
    d.one({ kind: 'munmap', map: 1 });
    expect(d.state.inodes.size).toBe(0);
  });

  it('GEN-MADVISE: a range that may wrap is EINVAL, or, unwrapped, the advice on the mapped part and ENOMEM', () => {
    const populate: Op = { kind: 'madvise', map: 0, offset: 0n, length: (1n << 64n) - 2n * P, advice: 'POPULATE_WRITE' };
    const mc: Op = { kind: 'mincore', map: 0, offset: 0n, pages: 1 };
    const wrapped = setup();
    wrapped.one(mmap(0, 4n * P));
    expect(wrapped.do(populate, err('EINVAL')).loose).toMatch(/wraps/);
    expect(wrapped.one(mc)).toEqual(ok([false]));
    const unwrapped = setup();
    unwrapped.one(mmap(0, 4n * P));
    unwrapped.do(populate, err('ENOMEM'));
    expect(unwrapped.one(mc)).toEqual(ok([true])); // populated before the hole after the mapping
    // Within a page of 2^64 the length page-aligns to 0: EINVAL, never the empty range's 0.
    expect(unwrapped.one({ ...populate, length: (1n << 64n) - P + 1n } as Op)).toEqual(err('EINVAL'));
  });

  it('MAP-7/8/9/13/16: REMOVE zeroes, COLLAPSE EINVAL, GUP, mincore, mprotect', () => {
    const d = setup();
    d.one(mmap(0, 8n * P));
    d.one(store(0, 1n, 4));
    expect(d.one({ kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'REMOVE' })).toEqual(ok());
    expect(d.one(load(0, 1n))).toEqual(ok({ value: 0 }));
    expect(d.one({ kind: 'madvise', map: 0, offset: 0n, length: 2n * P, advice: 'COLLAPSE' })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'madvise', map: 0, offset: 0n, length: 2n * P, advice: 'HUGEPAGE' })).toEqual(ok());
    expect(d.one({ kind: 'madvise', map: 0, offset: 0n, length: 16n * P, advice: 'DONTNEED' })).toEqual(err('ENOMEM'));
    d.one({ kind: 'fallocate', fd: 0, mode: 1, offset: 0n, len: 4n * P });
    d.one(store(0, 3n * P, 1));
    expect(d.one({ kind: 'mincore', map: 0, offset: 0n, pages: 4 })).toEqual(ok([true, false, false, true])) // page 0 was re-faulted after REMOVE;
    expect(d.one({ kind: 'kernelAccess', map: 0, offset: 3n * P, len: 2 * 4096, call: 'process_vm_readv', value: 0 })).toEqual(ok({ count: 4096, first: 1 }));
    expect(d.one({ kind: 'kernelAccess', map: 0, offset: 5n * P, len: 10, call: 'process_vm_readv', value: 0 })).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'madvise', map: 0, offset: 0n, length: 8n * P, advice: 'POPULATE_WRITE' })).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'mprotect', map: 0, prot: 1 })).toEqual(ok());
    expect(d.one(store(0, 5n))).toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_ACCERR', offset: 5n });
    expect(d.one({ kind: 'mprotect', map: 0, prot: 5 })).toEqual(err('EACCES'));
    expect(d.one({ kind: 'mprotect', map: 9, prot: 1 })).toEqual(err('ENOMEM'));
  });

  it('a 2^62-byte file with scattered pages stays cheap', () => {
    const d = setup(3n, 1n << 62n);
    d.one(mmap(0, 1n << 40n, 3, true, (1n << 62n) - (1n << 40n)));
    const t0 = performance.now();
    for (let i = 0; i < 2000; i++) d.one(store(0, BigInt(i) * 7919n * P, i & 0xff));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(d.one(load(0, 7919n * P * 5n))).toEqual(ok({ value: 5 }));
  });
});

describe('memfd MAP_PRIVATE (GEN-SHMEM-MMAP)', () => {
  it('copies on write; POPULATE_WRITE and writev break COW; punch keeps private copies', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 4n * P });
    d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3, shared: false });
    d.one({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 0n, len: 4096, value: 3 });
    expect(d.one({ kind: 'madvise', map: 0, offset: 0n, length: 2n * P, advice: 'POPULATE_WRITE' })).toEqual(ok());
    d.one({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 0n, len: 8192, value: 4 });
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 3 }));
    expect(d.one(load(0, P))).toEqual(ok({ value: 0 }));
    expect(d.one(load(0, 2n * P))).toEqual(ok({ value: 0 }));
    expect(d.one({ kind: 'kernelAccess', map: 0, offset: 3n * P + 10n, len: 5000, call: 'process_vm_writev', value: 9 })).toEqual(ok({ count: 4086, first: 9 }));
    d.one({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 3n * P, len: 4096, value: 6 });
    expect(d.one(load(0, 3n * P + 9n))).toEqual(ok({ value: 0 }));
    expect(d.one(load(0, 3n * P + 10n))).toEqual(ok({ value: 9 }));
    expect(d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 4n * P })).toEqual(ok());
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 3 }));
    expect(d.one({ kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'REMOVE' })).toEqual(err('EACCES'));
  });

  it('MAP-8 P-THP-COLLAPSE=UNPATCHED: after a collapse, a fault and GUP on a resident page may fail or not; punch forgets it', () => {
    const p = resolveProfile('upstream/P-THP-COLLAPSE=UNPATCHED');
    const d = driver(p);
    d.one({ kind: 'createVm', id: 0, type: 0 });
    d.one({ kind: 'createGmem', vm: 0, id: 0, size: 2n * P, flags: 3n, reserved: [] });
    d.one(mmap(0, 2n * P));
    d.one(store(0, 0n, 7));
    d.do({ kind: 'madvise', map: 0, offset: 0n, length: 2n * P, advice: 'COLLAPSE' }, ok());
    // Page 0 was resident: either world, for GUP (EFAULT or the byte) and for a fault (SIGBUS or the
    // byte). Page 1 never was: the collapse could not have touched it.
    const g = step(p, d.state, { kind: 'kernelAccess', map: 0, offset: 0n, len: 1, call: 'process_vm_readv', value: 0 });
    expect(g.allowed).toEqual([{ kind: 'ok', value: { count: 1, first: 7 } }, err('EFAULT')]);
    const v = d.do(load(0, 0n), { kind: 'ok', value: { value: 7 } });
    expect(v.allowed).toEqual([{ kind: 'ok', value: { value: 7 } }, sigbus(0n)]);
    expect(d.one(load(0, P))).toEqual({ kind: 'ok', value: { value: 0 } });
    d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P });
    expect(d.one(load(0, 0n))).toEqual({ kind: 'ok', value: { value: 0 } });
  });

  it('MAP-7 on memfd: MADV_REMOVE also punches pages a KEEP_SIZE fallocate allocated past EOF (measured on 6.18)', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: P });
    d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 2n * P, prot: 3, shared: true });
    const fill: Op = { kind: 'fallocate', fd: 0, mode: 1, offset: 0n, len: 2n * P };
    const mc: Op = { kind: 'mincore', map: 0, offset: 0n, pages: 2 };
    d.one(fill);
    d.one(fill); // the second fallocate makes both pages up to date, so resident
    expect(d.one(mc)).toEqual(ok([true, true]));
    d.one({ kind: 'madvise', map: 0, offset: 0n, length: 2n * P, advice: 'REMOVE' });
    d.one(fill);
    expect(d.one(mc)).toEqual(ok([false, false]));
  });
});
