/**
 * set_mempolicy_home_node on a range of a mapping (POL-23, which encodes POL-12). The syscall's
 * own checks come first, in its order: start alignment, flags ≠ 0, the node (≥ MAX_NUMNODES or
 * offline), then the page-aligned range (a wrap → EINVAL, empty → 0). Then it walks the VMAs of the
 * range with err = ENOENT: a VMA without a policy of its own (vma_policy) is skipped — whatever
 * shared policy its file holds — a policy other than BIND / PREFERRED_MANY stops the walk with
 * EOPNOTSUPP (VMAs changed before it stay changed), any other gets a copy of its policy with the
 * home node through mbind_range (err = 0). mbind_range is mbind's: the VMA splits at the range
 * and merges with equal neighbours, and vma_replace_policy calls the file's set_policy (shmem;
 * gmem with shared policies, P-POL-SCOPE=INODE), so the shared policy takes the home node for the
 * merged VMA's file pages. Holes are skipped; past the mapping the spec's address space has none.
 */
import { MPOL, err, ok } from '../vocab/index.js';
import { andThen, fact, first, only, rule, type Decision } from '../rule.js';
import { P, wrapsU64, type Ctx, type MapCtx } from '../ctx.js';
import { imEach, imSet } from '../state/imap.js';
import { policyEq } from '../state/folio.js';
import { withInode, withMap } from '../state/update.js';
import type { Policy, SpecState } from '../state/types.js';
import { deadMap } from '../lifetime/handles.js';
import { eitherVerdict, must, onMap, type Handler, type Steps } from '../run.js';
import { merged, mpolMerge, pol1Inode, shmemPolicy, vmas } from './mbind.js';

type C = Ctx<'setMempolicyHomeNode'>;
type M = MapCtx<'setMempolicyHomeNode'>;

const CITE = 'POL-23; mm/mempolicy.c SYSCALL_DEFINE4(set_mempolicy_home_node): start & ~PAGE_MASK, flags != 0, home_node >= MAX_NUMNODES || !node_online → -EINVAL; len = PAGE_ALIGN(len), end < start → -EINVAL, end == start → 0; err = -ENOENT, then per VMA: !vma_policy(vma) → skipped, mode not BIND/PREFERRED_MANY → -EOPNOTSUPP, else mpol_dup + home_node + mbind_range; v7.2, measured on 6.18.44 (memfd)';
export const pol12 = fact('POL-12', 'POL-12; mm/mempolicy.c set_mempolicy_home_node (the generic rule on a gmem VMA)');
export const mpolEqual = fact('GEN-MPOL-HOME-EQUAL', 'mm/mempolicy.c __mpol_equal (home_node compared), mbind_range (an equal policy is skipped, no split), v7.2');

/** The page-aligned length as the kernel's unsigned long PAGE_ALIGN computes it. */
const rounded = (len: bigint): bigint => BigInt.asUintN(64, (len + P - 1n) & ~(P - 1n));

export const homeDead = deadMap<C>('EFAULT');

/** The argument checks, before any VMA is looked at. */
export const pol23Args = rule<C>({
  id: 'POL-23',
  cite: CITE,
  decide: ({ p, s, op }) => {
    if ((op.offset & (P - 1n)) !== 0n || op.flags !== 0n || op.node >= BigInt(p.numaNodes)) return only(s, err('EINVAL'), [pol12]);
    if (rounded(op.length) === 0n) return only(s, ok(), [pol12]);
    return wrapsU64(BigInt.asUintN(64, op.offset), op.length) === 'yes' ? only(s, err('EINVAL'), [pol12]) : undefined;
  },
});
export const homePre = [homeDead, pol23Args] as const;

const MODE_FLAGS = 7 << 13;
const homeable = (pol: Policy): boolean => [MPOL.BIND, MPOL.PREFERRED_MANY].includes((pol.mode & ~MODE_FLAGS) as 2 | 5);

/** The map pages [lo, hi) the range covers (a start below the mapping covers from its first page). */
const covered = (op: M['op'], pages: number): readonly [number, number] => {
  const end = op.offset + rounded(op.length);
  const lo = op.offset <= 0n ? 0 : op.offset >= BigInt(pages) * P ? pages : Number(op.offset / P);
  const hi = end <= 0n ? 0 : end >= BigInt(pages) * P ? pages : Number(end / P);
  return [lo, hi];
};

/** mbind_range of one VMA piece [x, y) of the current state to `pol` (the merge as mbind's, GEN-MPOL-MERGE). */
const replace = (s: SpecState, c: M, x: number, y: number, pol: Policy): SpecState => {
  const map = s.maps.get(c.op.map)!;
  const ino = s.inodes.get(map.inode)!;
  const [a, b] = merged(map, vmas(map), x, y, pol);
  const next = withMap(s, c.op.map, { ...map, vmaPolicy: imSet(map.vmaPolicy, a, b, pol) });
  const shared = ino.kind === 'memfd' || c.p.variants.polScope === 'INODE';
  return shared ? withInode(next, { ...ino, policy: imSet(ino.policy, map.pgoff + a, map.pgoff + b, pol) }) : next;
};

/** The VMA walk over the mapping's own pages. */
export const pol23Walk = rule<M>({
  id: 'POL-23',
  cite: CITE,
  decide: (c): Decision => {
    const [lo, hi] = covered(c.op, c.map.pages);
    const pieces: Array<readonly [number, number, Policy]> = [];
    let result = 'ENOENT' as 'ENOENT' | 'EOPNOTSUPP' | 'ok';
    imEach(c.map.vmaPolicy, lo, hi, (x, y, v) => {
      if (v === undefined) return false;
      if (!homeable(v)) {
        result = 'EOPNOTSUPP';
        return true;
      }
      result = 'ok';
      const nv: Policy = { ...v, home: Number(c.op.node) };
      if (!policyEq(v, nv)) pieces.push([x, y, nv]);
      return false;
    });
    const shared = c.ino.kind === 'memfd' || c.p.variants.polScope === 'INODE';
    const also = [pol12, mpolEqual, ...(shared ? [mpolMerge, c.ino.kind === 'memfd' ? shmemPolicy : pol1Inode] : [])];
    if (pieces.length === 0) return only(c.s, result === 'ok' ? ok() : err(result), also);
    const next = () => pieces.reduce((s, [x, y, pol]) => replace(s, c, x, y, pol), c.s);
    return andThen(result === 'ok' ? ok() : err(result), next, also);
  },
});
export const homeMapChain = [pol23Walk] as const;

export const pol23Wraps = rule<C>({
  id: 'POL-23',
  cite: 'POL-23; mm/mempolicy.c set_mempolicy_home_node (end < start → -EINVAL), v7.2',
  decide: ({ s }) => only(s, err('EINVAL')),
});

/** Where start + len wraps depends on the mapping's address: EINVAL, or the walk as if it did not. */
const setMempolicyHomeNode: Handler<'setMempolicyHomeNode'> = (p, s, o) => {
  const full = onMap({ p, s, op: o }, homePre, o.map, homeMapChain);
  const maybe = first({ p, s, op: o }, homePre) === undefined && wrapsU64(BigInt.asUintN(64, o.offset), o.length) === 'maybe';
  return maybe ? eitherVerdict(must({ p, s, op: o }, [pol23Wraps]), full, 'whether start+len wraps depends on the mapping address') : full;
};

export const steps = { setMempolicyHomeNode } satisfies Steps;
