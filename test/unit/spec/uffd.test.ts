import { describe, it, expect } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { uffdV2 } from '../../../spec/profiles/series.js';
import { UFFD_FEATURE, UFFD_MODE, err, ok, sigbus, type Op, type Outcome, type Profile } from '../../../spec/vocab/index.js';

const setup = (p: Profile, memfd: boolean, flags = 3n, features = 0) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0 });
  d.one(memfd ? { kind: 'createMemfd', id: 0, size: 4n * P } : { kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags, reserved: [] });
  d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3, shared: true });
  d.one({ kind: 'uffdCreate', id: 0, features });
  return d;
};
const reg = (mode: number, map = 0): Op => ({ kind: 'uffdRegister', uffd: 0, map, offset: 0n, length: 4n * P, mode });
const load = (offset: bigint, how: 'COPY' | 'CONTINUE' | 'ZEROPAGE' = 'COPY', fill = 0x5a): Op => ({ kind: 'load', map: 0, offset, onUserfault: how, fill });
const uf = (offset: bigint, minor: boolean, resolve: Outcome, access: Outcome): Outcome =>
  ({ kind: 'uffd', event: { write: false, minor, wp: false, offset: offset & ~4095n }, resolve, access });

describe('userfaultfd (UFD)', () => {
  it('UFD-1: 6.18 refuses gmem registration except async WP; memfd registers every mode', () => {
    const d = setup(linux618, false);
    expect(d.one(reg(UFFD_MODE.MISSING))).toEqual(err('EINVAL'));
    expect(d.one(reg(UFFD_MODE.MINOR))).toEqual(err('EINVAL'));
    expect(d.one(reg(UFFD_MODE.WP))).toEqual(err('EINVAL'));
    const a = setup(linux618, false, 1n, UFFD_FEATURE.WP_ASYNC);
    expect(a.one(reg(UFFD_MODE.WP))).toEqual(ok());
    expect(a.one(reg(UFFD_MODE.MISSING))).toEqual(err('EINVAL'));
    const m = setup(linux618, true);
    expect(m.one(reg(UFFD_MODE.MISSING | UFFD_MODE.MINOR | UFFD_MODE.WP))).toEqual(ok());
    expect(m.one({ kind: 'uffdCreate', id: 1, features: 1 << 20 })).toEqual(err('EINVAL'));
    expect(m.one({ kind: 'uffdRegister', uffd: 3, map: 0, offset: 0n, length: P, mode: 1 })).toEqual(err('EBADF'));
  });

  it('UFD-2/4/5/6/7: MISSING then MINOR on the series', () => {
    const d = setup(uffdV2, false);
    expect(d.one(reg(UFFD_MODE.MISSING | UFFD_MODE.MINOR))).toEqual(ok());
    expect(d.one(load(10n))).toEqual(uf(10n, false, ok({ count: 4096 }), ok({ value: 0x5a })));
    expect(d.one(load(11n))).toEqual(ok({ value: 0x5a }));
    d.one({ kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'DONTNEED' });
    expect(d.one(load(12n, 'CONTINUE'))).toEqual(uf(12n, true, ok({ count: 4096 }), ok({ value: 0x5a })));
    // CONTINUE on a MISSING fault fails; the page is unregistered and the access completes normally
    expect(d.one(load(P, 'CONTINUE'))).toEqual(uf(P, false, err('EFAULT'), ok({ value: 0 })));
    expect(d.one({ kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 2n * P, length: 2n * P, fill: 1 })).toEqual(ok({ count: 8192 }));
    expect(d.one({ kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 2n * P, length: P, fill: 1 })).toEqual(err('EEXIST'));
    expect(d.one({ kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: P, length: P, fill: 1 })).toEqual(err('ENOENT'));
    const p = setup(uffdV2, false, 1n);
    expect(p.one(reg(UFFD_MODE.MISSING))).toEqual(err('EINVAL'));
  });

  it('UFD-12 + GUP: punch re-arms MISSING; kernel accesses in a userfault range fail', () => {
    const d = setup(linux618, true);
    d.one(reg(UFFD_MODE.MISSING));
    expect(d.one(load(0n, 'ZEROPAGE'))).toEqual(uf(0n, false, ok({ count: 4096 }), ok({ value: 0 })));
    d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P });
    expect(d.one(load(0n))).toEqual(uf(0n, false, ok({ count: 4096 }), ok({ value: 0x5a })));
    expect(d.one({ kind: 'kernelAccess', map: 0, offset: P, len: 10, call: 'process_vm_readv', value: 0 })).toEqual(err('EFAULT'));
    const s = setup(linux618, true, 0n, 1 << 7);
    s.one(reg(UFFD_MODE.MISSING));
    expect(s.one(load(5n))).toEqual(sigbus(5n));
  });

  it('GEN-UFFD-MFILL: a COPY range must lie in one VMA; a partial mbind or MADV_HUGEPAGE splits it, a matching one merges it back (measured on 6.18)', () => {
    const P4 = P;
    const start = () => {
      const d = driver(linux618);
      d.one({ kind: 'createMemfd', id: 0, size: 4n * P4 });
      d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P4, prot: 3, shared: true });
      d.one({ kind: 'uffdCreate', id: 0, features: 0 });
      d.one({ kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 4n * P4, mode: 1 });
      return d;
    };
    const copy: Op = { kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: 2n * P4, fill: 1 };
    const hp = (offset: bigint): Op => ({ kind: 'madvise', map: 0, offset, length: P4, advice: 'HUGEPAGE' });
    const mb = (offset: bigint): Op => ({ kind: 'mbind', map: 0, offset, length: P4, mode: 2, nodes: 1, flags: 0 });
    const a = start(); a.one(hp(0n));
    expect(a.one(copy)).toEqual(err('ENOENT'));
    const b = start(); b.one(hp(0n)); b.one(hp(P4));
    expect(b.one(copy)).toEqual(ok({ count: 8192 }));
    const c = start(); c.one(mb(0n));
    expect(c.one(copy)).toEqual(err('ENOENT'));
  });
});
