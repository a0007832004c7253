// Upstream selftests #7, #8, #11, #13, #16 (properties/scenarios/UPSTREAM-SELFTESTS.md) plus the linux-next uffd tests (S5).
import { describe, expect, it } from 'vitest';
import { MPOL, UFFD_MODE } from '../../../spec/vocab/index.js';
import { errno, gmem, LINUX_618, load, mmap, lv, okv, P, run, SERIES, slot, store, vm, withProfile } from './_fixtures.js';

describe('emulator: upstream selftests with a guest, NUMA, collapse and uffd', () => {
  it('#7 test_numa_allocation (one node): every touched page is on node 0', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), mmap(), store(0, 0n, 1),
      { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR_NODE' }]);
    expect(out[4]).toEqual(okv({ node: 0 }));
  });

  it('#8 test_collapse: HUGEPAGE → 0, COLLAPSE → EINVAL, DONTNEED + re-read keep data', async () => {
    const out = await run(LINUX_618, [vm(), gmem(0, 512n * P), mmap(0, 0, 512n * P), store(0, 0n, 7),
      { kind: 'madvise', map: 0, offset: 0n, length: 512n * P, advice: 'HUGEPAGE' },
      { kind: 'madvise', map: 0, offset: 0n, length: 512n * P, advice: 'COLLAPSE' },
      { kind: 'madvise', map: 0, offset: 0n, length: 512n * P, advice: 'DONTNEED' }, load(0, 0n)]);
    expect(out.slice(4)).toEqual([okv(), errno('EINVAL'), okv(), lv(7)]);
  });

  it('#11 test_mbind: INTERLEAVE, BIND and DEFAULT round-trip; mode 999 → EINVAL', async () => {
    const mb = (mode: number, nodes: number) => ({ kind: 'mbind', map: 0, offset: 0n, length: P, mode, nodes, flags: 0 } as const);
    const q = { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR' } as const;
    const out = await run(LINUX_618, [vm(), gmem(), mmap(), mb(MPOL.INTERLEAVE, 1), q, mb(MPOL.BIND, 1), q, mb(MPOL.DEFAULT, 0), q, mb(999, 1)]);
    expect(out.slice(3)).toEqual([okv(), okv({ mode: 3, nodes: 1 }), okv(), okv({ mode: 2, nodes: 1 }), okv(), okv({ mode: 0, nodes: 0 }), errno('EINVAL')]);
  });

  it('#13 test_file_size: st_size and st_blksize', async () => {
    const out = await run(LINUX_618, [vm(), gmem(0, 4n * P), { kind: 'fstat', fd: 0 }]);
    expect(out[2]).toEqual(okv({ size: 4n * P, blksize: 4096, mode: 0o100600 }));
  });

  it('#16 test_guest_memfd_guest on GMEM path: host 0xaa, guest sees it and writes 0xff, host re-mmaps and sees 0xff', async () => {
    const p = withProfile({ variants: { guestPath: 'GMEM' } });
    const gpa = 1n << 32n;
    const out = await run(p, [vm(), gmem(0, P), mmap(0, 0, P), store(0, 0n, 0xaa), { kind: 'munmap', map: 0 }, slot(0, 1, gpa, P, 0),
      { kind: 'guestAccess', vm: 0, gpa, write: false, value: 0 }, { kind: 'guestAccess', vm: 0, gpa, write: true, value: 0xff },
      mmap(1, 0, P), load(1, 0n), { kind: 'guestMapLevel', vm: 0, gpa }]);
    expect(out.slice(5)).toEqual([okv(), okv({ value: 0xaa }), okv({ value: 0xff }), okv(), lv(0xff), okv({ level: 1 })]);
  });

  it('#16 on the kvm_pvm (UADDR) path: NULL userspace_addr kills the guest', async () => {
    const gpa = 1n << 32n;
    const out = await run(LINUX_618, [vm(), gmem(0, P), slot(0, 1, gpa, P, 0), { kind: 'guestAccess', vm: 0, gpa, write: false, value: 0 }]);
    expect(out[3]).toMatchObject({ kind: 'exit' });
  });

  it('test_uffd_missing: register MISSING, touch → MISSING event, COPY → data visible', async () => {
    const out = await run(SERIES, [vm(), gmem(), mmap(), { kind: 'uffdCreate', id: 0, features: 0 },
      { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 4n * P, mode: UFFD_MODE.MISSING }, load(0, 5n, 'COPY', 0x33), load(0, 6n)]);
    expect(out[5]).toEqual({ kind: 'uffd', event: { write: false, minor: false, wp: false, offset: 0n }, resolve: okv({ count: 4096 }), access: lv(0x33) });
    expect(out[6]).toEqual(lv(0x33));
  });

  it('test_uffd_minor: populate via A, register B for MINOR, touch B → MINOR event, CONTINUE → A data', async () => {
    const out = await run(SERIES, [vm(), gmem(), mmap(0), store(0, 0n, 0x44), mmap(1), { kind: 'uffdCreate', id: 0, features: 0 },
      { kind: 'uffdRegister', uffd: 0, map: 1, offset: 0n, length: 4n * P, mode: UFFD_MODE.MINOR }, load(1, 0n, 'CONTINUE')]);
    expect(out[7]).toEqual({ kind: 'uffd', event: { write: false, minor: true, wp: false, offset: 0n }, resolve: okv({ count: 4096 }), access: lv(0x44) });
  });
});
