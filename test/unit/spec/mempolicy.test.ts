import { describe, it, expect } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { upstream } from '../../../spec/profiles/upstream.js';
import { MPOL, err, ok, type Op, type Profile } from '../../../spec/vocab/index.js';

const setup = (p: Profile, flags = 3n) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: 8n * P, flags, reserved: [] });
  d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true });
  return d;
};
const mbind = (map: number, offset: bigint, length: bigint, mode: number, nodes = 1): Op => ({ kind: 'mbind', map, offset, length, mode: BigInt(mode), nodes: BigInt(nodes), flags: 0 });
const get = (map: number, offset: bigint, query: 'ADDR' | 'ADDR_NODE' = 'ADDR'): Op => ({ kind: 'getMempolicy', map, offset, query });
const BIND0 = ok({ mode: MPOL.BIND, nodes: 1n });
const DEF = ok({ mode: 0, nodes: 0n });

describe('mempolicy (POL)', () => {
  it('GEN-MPOL-STRICT: STRICT alone refuses a misplaced mapped page and stores nothing; DEFAULT drops STRICT', () => {
    const d = setup(linux618);
    d.one({ kind: 'store', map: 0, offset: P, value: 1, onUserfault: 'COPY', fill: 0 });
    const strict = (mode: number, nodes: number, offset: bigint): Op => ({ kind: 'mbind', map: 0, offset, length: P, mode: BigInt(mode), nodes: BigInt(nodes), flags: 1 });
    expect(d.one(strict(MPOL.LOCAL, 0, P))).toEqual(err('EIO'));
    expect(d.one(get(0, P))).toEqual(DEF);
    expect(d.one(strict(MPOL.LOCAL, 0, 0n))).toEqual(ok()); // page 0 has no PTE: nothing to check
    expect(d.one(strict(MPOL.BIND, 1, P))).toEqual(ok()); // node 0 is in the mask
    expect(d.one(strict(MPOL.DEFAULT, 0, P))).toEqual(ok());
  });

  it('GEN-MPOL-SHARED-SKIP: STRICT|MOVE on a gmem page that two mappings map is ok; mapped once or MOVE_ALL is EIO', () => {
    const d = setup(linux618);
    d.one({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 8n * P, prot: 3n, shared: true });
    d.one({ kind: 'store', map: 0, offset: 0n, value: 1, onUserfault: 'COPY', fill: 0 });
    d.one({ kind: 'store', map: 0, offset: P, value: 1, onUserfault: 'COPY', fill: 0 });
    d.one({ kind: 'load', map: 1, offset: 0n, onUserfault: 'COPY', fill: 0 });
    const strict = (offset: bigint, length: bigint, flags: number): Op => ({ kind: 'mbind', map: 0, offset, length, mode: BigInt(MPOL.LOCAL), nodes: 0n, flags });
    expect(d.one(strict(0n, P, 3))).toEqual(ok()); // page 0: PTEs in both mappings
    expect(d.one(strict(0n, P, 5))).toEqual(err('EIO')); // MOVE_ALL tries it anyway
    expect(d.one(strict(0n, 2n * P, 3))).toEqual(err('EIO')); // page 1 is mapped by map 0 only
  });

  it('POL-4: a length within a page of 2^64 page-aligns to 0 and mbind returns 0 at once; a range that may wrap also allows the unwrapped answer', () => {
    const d = setup(linux618);
    // do_mbind: PAGE_ALIGN(len) wraps to 0, end == start: 0, before the node mask is looked at.
    expect(d.one(mbind(0, 0n, (1n << 64n) - P + 1n, MPOL.PREFERRED_MANY, 0xffff_ffff))).toEqual(ok());
    // 2^64 - 2P from offset 0: wraps for any mapping above one page (EINVAL); unwrapped,
    // MPOL_DEFAULT takes the mapped part and is ok, with the policy stored (POL-4 DISCONTIG_OK).
    const v = d.do(mbind(0, 0n, (1n << 64n) - 2n * P, MPOL.DEFAULT, 0));
    expect(v.allowed).toEqual(expect.arrayContaining([err('EINVAL'), ok()]));
    expect(v.loose).toMatch(/wraps/);
    d.do(mbind(0, 0n, (1n << 64n) - 2n * P, MPOL.BIND, 1), err('EFAULT')); // unwrapped: a hole after the mapping
    expect(d.one(get(0, 0n))).toEqual(DEF);
  });

  it("POL-1′: 6.18 keeps the policy on the VMA only", () => {
    const d = setup(linux618);
    expect(d.one(mbind(0, P, 2n * P, MPOL.BIND))).toEqual(ok());
    expect(d.one(get(0, P))).toEqual(BIND0);
    expect(d.one(get(0, 0n))).toEqual(DEF);
    d.one({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 8n * P, prot: 3n, shared: true });
    expect(d.one(get(1, P))).toEqual(DEF);
    d.one({ kind: 'munmap', map: 0 });
    d.one({ kind: 'mmap', fd: 0, id: 2, offset: 0n, length: 8n * P, prot: 3n, shared: true });
    expect(d.one(get(2, P))).toEqual(DEF);
  });

  it('POL-1/3: upstream shares the policy through the inode, with the DEFAULT caveat', () => {
    const d = setup(upstream);
    d.one(mbind(0, P, 2n * P, MPOL.BIND));
    d.one({ kind: 'munmap', map: 0 });
    d.one({ kind: 'mmap', fd: 0, id: 1, offset: P, length: 4n * P, prot: 3n, shared: true });
    expect(d.one(get(1, 0n))).toEqual(BIND0);
    expect(d.one(mbind(1, 0n, P, MPOL.DEFAULT, 0))).toEqual(ok());
    expect(d.one(get(1, 0n))).toEqual(BIND0); // POL-3: fresh VMA, DEFAULT is a no-op
    d.one(mbind(1, 0n, P, MPOL.PREFERRED));
    d.one(mbind(1, 0n, P, MPOL.DEFAULT, 0));
    expect(d.one(get(1, 0n))).toEqual(DEF);
    // GEN-MPOL-MERGE: the default piece merges with the (default) rest of the VMA, and set_policy
    // clears the whole merged VMA's file pages: page 2's BIND goes too. Measured on Debian 7.2.13
    // (`gmemcheck vm -- replay` of this sequence).
    expect(d.one(get(1, P))).toEqual(DEF);
  });

  it('POL-2/4/8: default never the task policy; validation; node lookup', () => {
    const d = setup(linux618);
    expect(d.one({ kind: 'setMempolicy', mode: MPOL.BIND, nodes: 1n })).toEqual(ok());
    expect(d.one(get(0, 0n))).toEqual(DEF);
    expect(d.one(mbind(0, 0n, P, 999))).toEqual(err('EINVAL'));
    expect(d.one(mbind(0, 0n, P, MPOL.BIND, 2))).toEqual(err('EINVAL'));
    expect(d.one(mbind(0, 0n, P, MPOL.BIND, 0))).toEqual(err('EINVAL'));
    expect(d.one(mbind(0, 1n, P, MPOL.BIND))).toEqual(err('EINVAL'));
    expect(d.one(mbind(0, 0n, 16n * P, MPOL.BIND))).toEqual(err('EFAULT'));
    expect(d.one(mbind(9, 0n, P, MPOL.BIND))).toEqual(err('EFAULT'));
    expect(d.one(mbind(0, 0n, P, MPOL.PREFERRED, 0))).toEqual(ok());
    expect(d.one(get(0, 0n))).toEqual(ok({ mode: MPOL.LOCAL, nodes: 0n }));
    expect(d.one(get(0, 0n, 'ADDR_NODE'))).toEqual(ok({ node: 0 }));
    expect(d.one(get(9, 0n))).toEqual(err('EFAULT'));
    const p = setup(linux618, 1n);
    expect(p.one(get(0, 0n, 'ADDR_NODE'))).toEqual(err('EFAULT'));
  });
});
