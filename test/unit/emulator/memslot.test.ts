// Memslot binding rules SLOT-1..12 on a type-0 VM (obs:finding 8).
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { MEM } from '../../../spec/vocab/index.js';
import { errno, gmem, LINUX_618, okv, P, run, slot, vm, withProfile } from './_fixtures.js';

const M = 1n << 20n;

describe('emulator: memslots', () => {
  it('SLOT-7: an overlapping gmem range in a second slot → EINVAL on 6.18, EEXIST under P-BIND-OVERLAP=EEXIST; disjoint is fine', async () => {
    const ops = [vm(), gmem(), slot(0, 0, 0n, 2n * P, 0, 0n), slot(0, 1, M, 2n * P, 0, P), slot(0, 2, 2n * M, 2n * P, 0, 2n * P)];
    expect((await run(LINUX_618, ops)).slice(2)).toEqual([okv(), errno('EINVAL'), okv()]);
    expect((await run(withProfile({ variants: { bindOverlap: 'EEXIST' } }), ops))[3]).toEqual(errno('EEXIST'));
  });

  it('SLOT-8/9/10: GPA overlap EEXIST, identical re-issue EINVAL, delete then re-bind, deleting a missing slot EINVAL', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), slot(0, 0, 0n, P, 0), slot(0, 1, 0n, P, 0, P), slot(0, 0, 0n, P, 0),
      slot(0, 0, 0n, 0n, 0), slot(0, 3, M, P, 0), slot(0, 0, 0n, 0n, 0)]);
    expect(out.slice(2)).toEqual([okv(), errno('EEXIST'), errno('EINVAL'), okv(), okv(), errno('EINVAL')]);
  });

  it('SLOT-5: not open → EBADF, memfd / VM fd / kvm fd / another VM\'s gmem → EINVAL, dup works', async () => {
    const bind = (gm: Extract<Op, { kind: 'setMemoryRegion' }>['gmem'], s: number, v = 0): Op =>
      ({ kind: 'setMemoryRegion', vm: v, v1: false, slot: s, flags: MEM.GUEST_MEMFD, gpa: BigInt(s) * M, size: P, uaddr: { kind: 'null' }, gmem: gm, gmemOffset: 0n });
    const out = await run(LINUX_618, [vm(0), vm(1), gmem(0), { kind: 'createMemfd', id: 1, size: 4n * P }, gmem(2, 4n * P, 3n, 1),
      bind({ kind: 'notOpen' }, 0), bind({ kind: 'fd', fd: 1 }, 1), bind({ kind: 'vmFd', vm: 0 }, 2), bind({ kind: 'kvmFd' }, 3),
      bind({ kind: 'fd', fd: 2 }, 4), { kind: 'dup', fd: 0, id: 3 }, bind({ kind: 'fd', fd: 3 }, 5), bind({ kind: 'fd', fd: 0 }, 6)]);
    expect(out.slice(5)).toEqual([errno('EBADF'), errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), okv(), okv(), errno('EINVAL')]);
  });

  it('SLOT-1/2/3/4/6: v1 with the flag, READONLY|GUEST_MEMFD, slot id limit, unaligned offset, past EOF', async () => {
    const base = slot(0, 0, 0n, P, 0) as Extract<Op, { kind: 'setMemoryRegion' }>;
    const out = await run(LINUX_618, [vm(), gmem(), { ...base, v1: true }, { ...base, flags: MEM.GUEST_MEMFD | MEM.READONLY },
      { ...base, slot: 32764 }, { ...base, slot: 32763 }, { ...base, slot: 1, gpa: M, gmemOffset: 0x800n },
      { ...base, slot: 2, gpa: 2n * M, gmemOffset: 4n * P }, { ...base, slot: 3, gpa: 3n * M, uaddr: { kind: 'unaligned' } }]);
    expect(out.slice(2)).toEqual([errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), okv(), errno('EINVAL'), errno('EINVAL'), errno('EINVAL')]);
  });

  it('SLOT-6 / P-OFFSET: offset 2^63-P with size 2P wraps past the check on 6.18 only', async () => {
    const ops = [vm(), gmem(), slot(0, 0, 0n, 2n * P, 0, (1n << 63n) - P)];
    expect((await run(LINUX_618, ops))[2]).toEqual(okv());
    expect((await run(withProfile({ variants: { offset: 'UNSIGNED' } }), ops))[2]).toEqual(errno('EINVAL'));
  });

  it('SLOT-11/12: closing a bound gmem keeps the slot; closing the VM fd keeps the gmem usable', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), slot(0, 0, 0n, P, 0), { kind: 'close', fd: 0 }, gmem(1), slot(0, 1, 0n, P, 1),
      slot(0, 0, 0n, 0n, 0), slot(0, 1, 0n, P, 1), { kind: 'closeVm', vm: 0 }, { kind: 'fallocate', fd: 1, mode: 1, offset: 0n, len: P },
      gmem(2)]);
    expect(out.slice(2)).toEqual([okv(), okv(), okv(), errno('EEXIST'), okv(), okv(), okv(), okv(), errno('EBADF')]);
  });

  it('SLOT-11 guest side (GMEM path): after the last close the guest gets a memory-fault exit; a mapping keeps the file', async () => {
    const p = withProfile({ variants: { guestPath: 'GMEM' } });
    const ga = { kind: 'guestAccess', vm: 0, gpa: 0n, write: false, value: 0 } as const;
    const out = await run(p, [vm(), gmem(0, P), { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3, shared: true }, slot(0, 0, 0n, P, 0),
      { kind: 'close', fd: 0 }, ga, { kind: 'munmap', map: 0 }, ga, slot(0, 0, 0n, 0n, 0)]);
    expect(out.slice(5)).toEqual([okv({ value: 0 }), okv(), { kind: 'exit', reason: 'MEMORY_FAULT', gpa: 0n, private: false }, okv()]);
  });
});
