import { describe, it, expect } from 'vitest';
import { driver, P, MB } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { upstream } from '../../../spec/profiles/upstream.js';
import { MEM, ok, type Op, type Profile, type UserAddr } from '../../../spec/vocab/index.js';

const GPA = 1n << 32n;
const setup = (p: Profile, uaddr: UserAddr) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: P, flags: 3n, reserved: [] });
  d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true });
  d.one({ kind: 'setMemoryRegion', vm: 0, v1: false, slot: 1, flags: MEM.GUEST_MEMFD, gpa: GPA, size: P, uaddr, gmem: { kind: 'fd', fd: 0 }, gmemOffset: 0n });
  return d;
};
const ga = (write: boolean, value = 0xff, gpa = GPA): Op => ({ kind: 'guestAccess', vm: 0, gpa, write, value });

describe('guest side (SLOT-13/14, LVL)', () => {
  it('upstream: the guest sees gmem (test_guest_memfd_guest), 4K level, MEMORY_FAULT after release', () => {
    const d = setup(upstream, { kind: 'null' });
    d.one({ kind: 'store', map: 0, offset: 7n, value: 0xaa, onUserfault: 'COPY', fill: 0 });
    expect(d.one({ kind: 'guestMapLevel', vm: 0, gpa: GPA })).toEqual(ok({ level: 0 }));
    expect(d.one(ga(false, 0, GPA + 7n))).toEqual(ok({ value: 0xaa }));
    expect(d.one(ga(true, 0xff, GPA + 8n))).toEqual(ok({ value: 0xff }));
    expect(d.one({ kind: 'load', map: 0, offset: 8n, onUserfault: 'COPY', fill: 0 })).toEqual(ok({ value: 0xff }));
    expect(d.one({ kind: 'guestMapLevel', vm: 0, gpa: GPA })).toEqual(ok({ level: 1 }));
    d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P });
    expect(d.one({ kind: 'guestMapLevel', vm: 0, gpa: GPA })).toEqual(ok({ level: 0 }));
    expect(d.one(ga(false, 0, 2n * GPA))).toEqual({ kind: 'exit', reason: 'MMIO', gpa: 2n * GPA });
    d.one({ kind: 'munmap', map: 0 });
    d.one({ kind: 'close', fd: 0 });
    expect(d.one(ga(false, 0, GPA + 7n))).toEqual({ kind: 'exit', reason: 'MEMORY_FAULT', gpa: GPA, private: false });
  });

  it('kvm_pvm (UADDR): the guest sees userspace_addr; NULL kills it', () => {
    const d = setup(linux618, { kind: 'null' });
    const v = d.do(ga(false));
    expect(v.allowed).toEqual([{ kind: 'exit', reason: 'INTERNAL_ERROR' }, { kind: 'exit', reason: 'SHUTDOWN' }]);
    const m = setup(linux618, { kind: 'map', map: 0, offset: 0n });
    m.one({ kind: 'store', map: 0, offset: 7n, value: 0xaa, onUserfault: 'COPY', fill: 0 });
    expect(m.one(ga(false, 0, GPA + 7n))).toEqual(ok({ value: 0xaa }));
    expect(m.do({ kind: 'guestMapLevel', vm: 0, gpa: GPA }).allowed).toHaveLength(2);
    m.one({ kind: 'setMemoryRegion', vm: 0, v1: true, slot: 2, flags: MEM.READONLY, gpa: 2n * GPA, size: P, uaddr: { kind: 'map', map: 0, offset: 0n }, gmem: { kind: 'notOpen' }, gmemOffset: 0n });
    expect(m.one(ga(false, 0, 2n * GPA + 7n))).toEqual(ok({ value: 0xaa }));
    expect(m.one(ga(true, 1, 2n * GPA + 7n))).toEqual({ kind: 'exit', reason: 'MMIO', gpa: 2n * GPA + 7n });
    void MB;
  });
});
