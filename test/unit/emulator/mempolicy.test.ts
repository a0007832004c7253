// NUMA policy bookkeeping: POL-1′ (6.18, VMA scope), POL-1 and POL-3 (INODE scope), POL-2, POL-4, POL-8.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { GMEM_FLAG, MPOL } from '../../../spec/vocab/index.js';
import { errno, gmem, LINUX_618, mmap, okv, P, run, vm, withProfile } from './_fixtures.js';

const mb = (map: number, mode: number, nodes: number, offset = 0n, length = P): Op => ({ kind: 'mbind', map, offset, length, mode, nodes, flags: 0 });
const q = (map: number, offset = 0n): Op => ({ kind: 'getMempolicy', map, offset, query: 'ADDR' });
const BIND0 = okv({ mode: MPOL.BIND, nodes: 1 });
const DEFAULT = okv({ mode: 0, nodes: 0 });
const INODE = withProfile({ variants: { polScope: 'INODE' } });

describe('emulator: mempolicy', () => {
  it('GEN-MPOL-STRICT / POL-6: STRICT with a mapped page outside the mask is EIO; with MOVE gmem still EIO but stored, memfd ok', async () => {
    // Measured on 6.18: every page is on node 0; an empty mask (MPOL_LOCAL) excludes it.
    const strict = (flags: number): Op => ({ kind: 'mbind', map: 0, offset: 0n, length: P, mode: MPOL.LOCAL, nodes: 0, flags });
    const st: Op = { kind: 'store', map: 0, offset: 0n, value: 1, onUserfault: 'COPY', fill: 0 };
    const LOCAL = okv({ mode: MPOL.LOCAL, nodes: 0 });
    expect((await run(LINUX_618, [vm(), gmem(), mmap(0), st, strict(1), q(0)])).slice(4)).toEqual([errno('EIO'), DEFAULT]);
    expect((await run(LINUX_618, [vm(), gmem(), mmap(0), st, strict(3), q(0)])).slice(4)).toEqual([errno('EIO'), LOCAL]);
    expect((await run(LINUX_618, [vm(), gmem(), mmap(0), strict(1), q(0)])).slice(3)).toEqual([okv(), LOCAL]);
    expect((await run(LINUX_618, [{ kind: 'createMemfd', id: 0, size: 4n * P }, mmap(0), st, strict(3), q(0)])).slice(3)).toEqual([okv(), LOCAL]);
  });

  it('GEN-MPOL-SHARED-SKIP: STRICT|MOVE skips a gmem folio mapped twice (0); MOVE_ALL or a folio mapped once is EIO', async () => {
    // Found by a random native run on 6.18.44: migrate_folio_add leaves a shared folio alone.
    const strict = (map: number, flags: number): Op => ({ kind: 'mbind', map, offset: 0n, length: P, mode: MPOL.LOCAL, nodes: 0, flags });
    const st = (map: number): Op => ({ kind: 'store', map, offset: 0n, value: 1, onUserfault: 'COPY', fill: 0 });
    const both = [vm(), gmem(), mmap(0), mmap(1), st(0), st(1)];
    expect((await run(LINUX_618, [...both, strict(0, 3)]))[6]).toEqual(okv());
    expect((await run(LINUX_618, [...both, strict(0, 5)]))[6]).toEqual(errno('EIO'));
    expect((await run(LINUX_618, [...both, strict(0, 1)]))[6]).toEqual(errno('EIO')); // no MOVE: STRICT alone still refuses
    // Mapped through map 1 only (no PTE in map 1 until a store there): map 0's folio is mapped once.
    expect((await run(LINUX_618, [vm(), gmem(), mmap(0), mmap(1), st(0), strict(0, 3)]))[5]).toEqual(errno('EIO'));
  });

  it('POL-1′: on 6.18 the policy is VMA-local: another mapping and a re-mmap see DEFAULT', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), mmap(0), mmap(1), mb(0, MPOL.BIND, 1), q(0), q(1), { kind: 'munmap', map: 0 }, mmap(2), q(2), q(0)]);
    expect(out.slice(5)).toEqual([BIND0, DEFAULT, okv(), okv(), DEFAULT, errno('EFAULT')]);
  });

  it('POL-1: under INODE scope the policy is keyed by file offset and survives munmap', async () => {
    const out = await run(INODE, [vm(), gmem(), mmap(0), mb(0, MPOL.BIND, 1, P, 2n * P), { kind: 'munmap', map: 0 }, mmap(1, 0, 4n * P, P), q(1, 0n), q(1, 2n * P)]);
    expect(out.slice(6)).toEqual([BIND0, DEFAULT]);
  });

  it('POL-3: DEFAULT through a fresh VMA does not clear the shared policy; set another first', async () => {
    const out = await run(INODE, [vm(), gmem(), mmap(0), mb(0, MPOL.BIND, 1), mmap(1), mb(1, MPOL.DEFAULT, 0), q(0),
      mb(1, MPOL.PREFERRED, 1), mb(1, MPOL.DEFAULT, 0), q(0)]);
    expect(out[6]).toEqual(BIND0);
    expect(out[9]).toEqual(DEFAULT);
  });

  it('POL-2: the task policy is never reported (P-POL-QUERY=DEFAULT), but is under TASK', async () => {
    const ops = [{ kind: 'setMempolicy', mode: MPOL.BIND, nodes: 1 } as Op, vm(), gmem(), mmap(), q(0)];
    expect((await run(LINUX_618, ops))[4]).toEqual(DEFAULT);
    expect((await run(withProfile({ variants: { polQuery: 'TASK' } }), ops))[4]).toEqual(BIND0);
  });

  it('POL-4: bad mode, node 1 on one node, empty BIND, unaligned start → EINVAL; unmapped tail → EFAULT; PREFERRED {} → LOCAL', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), mmap(), mb(0, 999, 1), mb(0, MPOL.BIND, 2), mb(0, MPOL.BIND, 0), mb(0, MPOL.BIND, 1, 1n),
      mb(0, MPOL.BIND, 1, 0n, 8n * P), mb(0, MPOL.PREFERRED, 0), q(0), mb(0, MPOL.BIND, 3), q(0)]);
    expect(out.slice(3)).toEqual([errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), errno('EFAULT'), okv(),
      okv({ mode: MPOL.LOCAL, nodes: 0 }), okv(), BIND0]);
  });

  it('POL-8: ADDR_NODE faults a shared page in (node 0) and fails with EFAULT on a private one', async () => {
    const node = (map: number): Op => ({ kind: 'getMempolicy', map, offset: 0n, query: 'ADDR_NODE' });
    const out = await run(LINUX_618, [vm(), gmem(0), mmap(0), node(0), { kind: 'mincore', map: 0, offset: 0n, pages: 1 },
      gmem(1, 4n * P, GMEM_FLAG.MMAP), mmap(1, 1), node(1)]);
    expect([out[3], out[4], out[7]]).toEqual([okv({ node: 0 }), okv([true]), errno('EFAULT')]);
  });

  it('memfd (shmem) keeps a shared policy on 6.18 (obs:MP-M-22..24)', async () => {
    const out = await run(LINUX_618, [{ kind: 'createMemfd', id: 0, size: 4n * P }, mmap(0), mb(0, MPOL.BIND, 1), { kind: 'munmap', map: 0 }, mmap(1), q(1)]);
    expect(out[5]).toEqual(BIND0);
  });

  it('placement on two nodes follows an INODE-scope BIND policy (POL-5)', async () => {
    const two = withProfile({ numaNodes: 2, variants: { polScope: 'INODE' } });
    const out = await run(two, [vm(), gmem(), mmap(), mb(0, MPOL.BIND, 2), { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR_NODE' }]);
    expect(out[4]).toEqual(okv({ node: 1 }));
  });
});
