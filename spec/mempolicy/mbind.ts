/**
 * mbind on a mapping: validation (POL-4), the range (EFAULT if unmapped), then where the policy
 * is stored: VMA-local on 6.18 (POL-1′), the inode's shared policy keyed by file page from 6.19
 * (POL-1, with the POL-3 skip-if-equal caveat), always shared for memfd (GEN-SHMEM-POLICY).
 */
import { MPOL, MPOL_MF, err, ok } from '../vocab/index.js';
import { cases, eitherOf, fact, first, only, rule, andThen, type Decision } from '../rule.js';
import { P, aligned, wrapsU64, type Ctx, type MapCtx } from '../ctx.js';
import { imAny, imEach, imGet, imSet, type IMap } from '../state/imap.js';
import { policyEq } from '../state/folio.js';
import { withInode, withMap } from '../state/update.js';
import type { Mapping, Policy, SpecState, UffdReg } from '../state/types.js';
import { mbindMode, nodesRead, sanitizeMode, validatePolicy } from './policy.js';
import { deadMap } from '../lifetime/handles.js';
import { eitherVerdict, must, onMap, type Handler, type Steps } from '../run.js';
import { AROUND_LOOSE, maybeMappedIn } from '../mmap/fault-around.js';

type C = Ctx<'mbind'>;
type M = MapCtx<'mbind'>;
const MF_VALID = MPOL_MF.STRICT | MPOL_MF.MOVE | MPOL_MF.MOVE_ALL;

export const env2 = fact('ENV-2', 'ENV-2 (online nodes from the profile)');
export const pol21 = fact('POL-21', 'POL-21; mm/mempolicy.c kernel_mbind (int lmode = mode: bits 32..63 of the unsigned long are dropped, bit 31 makes the mode negative), v7.2');
export const maxnode = fact('GEN-MPOL-MAXNODE', 'mm/mempolicy.c get_nodes (--maxnode: with maxnode 64 only bits 0..62 of the mask word are read), v7.2');

/** The 64-bit facts a verdict relied on: a mode with bits >= 31 set, a mask with bit 63 set. */
const wideFacts = (mode: bigint, nodes: bigint) => [...(mode >> 31n !== 0n ? [pol21] : []), ...(nodes >> 63n !== 0n ? [maxnode] : [])];

/** POL-4: mode, flags, start alignment, node mask — all EINVAL, before the range is looked at. */
export const pol4Mbind = rule<C>({
  id: 'POL-4',
  cite: 'POL-4; mm/mempolicy.c kernel_mbind, do_mbind, mpol_new (obs:MP-G-40..44)',
  decide: ({ p, s, op }) => {
    const mode = mbindMode(op.mode);
    if (!sanitizeMode(mode)) return only(s, err('EINVAL'), wideFacts(op.mode, 0n));
    if ((op.flags & ~MF_VALID) !== 0 || !aligned(op.offset) || op.offset < 0n || op.length < 0n) return only(s, err('EINVAL'));
    // do_mbind page-aligns the length as an unsigned long: within a page of 2^64 it becomes 0, and
    // an empty range returns 0 at once (no len_in check as madvise has). mm/mempolicy.c do_mbind, v6.18/v7.2.
    if (((op.length + P - 1n) & ~(P - 1n)) === 1n << 64n) return only(s, ok());
    if (wrapsU64(op.offset, op.length) === 'yes') return only(s, err('EINVAL'));
    // 'maybe': the handler below allows the wrap's EINVAL besides what the range does unwrapped.
    if (op.length === 0n) return only(s, ok());
    return validatePolicy(p, mode, op.nodes).ok ? undefined : only(s, err('EINVAL'), [env2, ...wideFacts(op.mode, op.nodes)]);
  },
});

/** The mode without its MPOL_F_* mode flags (include/uapi/linux/mempolicy.h MPOL_MODE_FLAGS). */
const baseMode = (mode: number): number => mode & ~(7 << 13);

/**
 * POL-4: the whole range must be mapped (queue_pages_range hole check) → EFAULT. Except for
 * MPOL_DEFAULT: mpol_new returns no policy, do_mbind then sets MPOL_MF_DISCONTIG_OK, and holes are
 * fine as long as some VMA lies in the range (a range that is all hole is still EFAULT). Observed
 * on the native target: mbind(DEFAULT) running past a mapping's end returns 0.
 */
export const pol4Range = rule<C>({
  id: 'POL-4',
  cite: 'POL-4; mm/mempolicy.c do_mbind (MPOL_MF_DISCONTIG_OK for the default policy), queue_pages_test_walk',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map);
    if (m === undefined) return only(s, err('EFAULT'));
    const start = op.offset >> 12n;
    const end = (op.offset + op.length + P - 1n) >> 12n;
    if (baseMode(mbindMode(op.mode)) === MPOL.DEFAULT) return start >= BigInt(m.pages) ? only(s, err('EFAULT')) : undefined;
    return end > BigInt(m.pages) ? only(s, err('EFAULT')) : undefined;
  },
});
export const mbindDead = deadMap<C>('EFAULT');
export const mbindPre = [mbindDead, pol4Mbind, pol4Range] as const;

export const pol6 = fact('POL-6', 'POL-6, MAP-12 (gmem folios are unmovable)');
export const map12 = fact('MAP-12', 'MAP-12 (gmem folios are unevictable and unmovable; S1 migrate_folio refuses)');
export const pol3 = fact('POL-3', 'POL-3 (mbind_range skips a VMA whose policy already equals the new one)');

/** What makes pages of a mapping one VMA: policy, VM_HUGEPAGE and the uffd registration. */
interface VmaAttrs { readonly pol: Policy | undefined; readonly huge: true | undefined; readonly uffd: UffdReg | undefined }
const attrsEq = (x: VmaAttrs, y: VmaAttrs): boolean =>
  policyEq(x.pol, y.pol) && x.huge === y.huge && x.uffd?.uffd === y.uffd?.uffd && x.uffd?.mode === y.uffd?.mode;
const attrsAt = (m: Mapping, p: number): VmaAttrs => ({ pol: imGet(m.vmaPolicy, p), huge: imGet(m.hugepage, p), uffd: imGet(m.uffd, p) });

/** The mapping's VMAs: [start, end) pieces of equal attributes, from the runs of the three maps. */
export const vmas = (m: Mapping): [number, number][] => {
  const cuts = new Set<number>([0, m.pages]);
  const add = <V>(im: IMap<V>) => imEach(im, 0, m.pages, (a, b) => { cuts.add(a); cuts.add(b); });
  add(m.vmaPolicy);
  add(m.hugepage);
  add(m.uffd);
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const [a, b] = [sorted[i]!, sorted[i + 1]!];
    const last = out.at(-1);
    if (last !== undefined && attrsEq(attrsAt(m, last[0]), attrsAt(m, a))) last[1] = b;
    else out.push([a, b]);
  }
  return out;
};

/**
 * GEN-MPOL-MERGE: the VMA a changed piece [x, y) becomes. vma_modify_policy merges it with the
 * VMA before and the one after when they already have the new policy (and the same flags and uffd
 * registration); set_policy then applies to the whole merged VMA, so a shared policy set on those
 * neighbours' file pages through another mapping is replaced too (mm/mempolicy.c mbind_range,
 * vma_modify_policy, vma_replace_policy, mpol_set_shared_policy, v7.2). Found by a random run of
 * `gmemcheck vm` on Debian 7.2.13: mbind(DEFAULT) over a split mapping cleared the policy another
 * mapping had set on the page of the neighbouring, already-default VMA.
 */
export const merged = (m: Mapping, all: readonly [number, number][], x: number, y: number, pol: Policy | null): [number, number] => {
  // The new piece's attributes are page x's with the new policy (y-1's for the right side).
  const joins = (nb: number, own: number): boolean =>
    nb >= 0 && nb < m.pages && attrsEq(attrsAt(m, nb), { ...attrsAt(m, own), pol: pol ?? undefined });
  const vmaOf = (p: number) => all.find(([a, b]) => p >= a && p < b)!;
  return [joins(x - 1, x) ? vmaOf(x - 1)[0] : x, joins(y, y - 1) ? vmaOf(y)[1] : y];
};

/** The new state for a successful mbind on map pages [a, b). */
const store = (c: M, a: number, b: number, pol: Policy | null): SpecState => {
  const { s, op, map, ino } = c;
  const v = pol ?? undefined;
  const shared = ino.kind === 'memfd' || c.p.variants.polScope === 'INODE';
  if (!shared) return withMap(s, op.map, { ...map, vmaPolicy: imSet(map.vmaPolicy, a, b, v) });
  const changed: [number, number][] = [];
  let all: [number, number][] | undefined;
  imEach(map.vmaPolicy, a, b, (x, y, cur) => {
    // POL-3: a piece that already has the policy is skipped.
    if (!policyEq(cur, pol)) changed.push(merged(map, (all ??= vmas(map)), x, y, pol));
  });
  let vmaPolicy = map.vmaPolicy;
  let policy = ino.policy;
  for (const [x, y] of changed) {
    vmaPolicy = imSet(vmaPolicy, x, y, v);
    policy = imSet(policy, map.pgoff + x, map.pgoff + y, v);
  }
  return withInode(withMap(s, op.map, { ...map, vmaPolicy }), { ...ino, policy });
};

/** POL-1′ (VMA) / POL-1 (INODE) / GEN-SHMEM-POLICY (memfd): record the policy. */
export const pol1 = rule<M>({
  id: 'POL-1′',
  cite: 'POL-1′, POL-1, POL-3, §4 P-POL-SCOPE; mm/mempolicy.c vma_replace_policy; S2 kvm_gmem_set_policy',
  decide: (c): Decision => {
    const pol = validatePolicy(c.p, mbindMode(c.op.mode), c.op.nodes);
    const v = pol.ok ? pol.pol : null;
    const a = Number(c.op.offset >> 12n);
    // Only the mapped part takes the policy (MPOL_DEFAULT may run past the mapping, see pol4Range).
    const b = Math.min(Number((c.op.offset + c.op.length + P - 1n) >> 12n), c.map.pages);
    const next = () => store(c, a, b, v);
    const shared = c.ino.kind === 'memfd' || c.p.variants.polScope === 'INODE';
    const also = [...(shared ? [pol3, mpolMerge, ...(c.ino.kind === 'memfd' ? [shmemPolicy] : [pol1Inode])] : []), ...wideFacts(c.op.mode, c.op.nodes)];
    if (c.p.numaNodes > 1 && (c.op.flags & MF_VALID) !== 0) {
      return cases([[ok(), next], [err('EIO'), next]], 'POL-6: whether a refused migration of unmovable folios is reported (EIO) is UNVERIFIED', [...also, pol6, map12]);
    }
    const strict = (c.op.flags & MPOL_MF.STRICT) !== 0;
    const moving = (c.op.flags & (MPOL_MF.MOVE | MPOL_MF.MOVE_ALL)) !== 0;
    if (strict && misplacedMapped(c, a, b)) {
      // STRICT alone: the walk stops at the first misplaced page and nothing is stored.
      if (!moving) return only(c.s, err('EIO'), [genStrict]);
      // STRICT with MOVE: the policy is stored, then the migration runs. gmem folios refuse to move
      // (POL-6, MAP-12), so the call reports EIO (measured on 6.18); shmem folios move (here, to
      // the node they are on) and the call succeeds. Without MOVE_ALL a folio mapped more than once
      // is left alone and not counted as failed (GEN-MPOL-SHARED-SKIP), so EIO needs a misplaced
      // gmem page that only this mapping maps (or MOVE_ALL).
      const all = (c.op.flags & MPOL_MF.MOVE_ALL) !== 0;
      if (c.ino.kind === 'gmem' && (all || mappedOnlyHere(c, a, b))) return andThen(err('EIO'), next, [...also, genStrict, pol6, map12]);
      if (c.ino.kind === 'gmem') return andThen(ok(), next, [...also, sharedSkip, genStrict]);
    }
    // GEN-FAULT-AROUND: a shmem page an earlier read fault may have mapped is walked if it was.
    if (strict && !moving && misplacedMaybe(c, a, b)) return eitherOf(only(c.s, err('EIO'), [genStrict]), andThen(ok(), next, also), AROUND_LOOSE);
    return andThen(ok(), next, also);
  },
});
export const genStrict = fact('GEN-MPOL-STRICT', 'mm/mempolicy.c do_mbind, queue_folios_pte_range (strictly_unmovable → EIO); measured on 6.18');

/**
 * On a one-node host every folio is on node 0, so a mapped page is misplaced for a node mask
 * without node 0 (an empty mask: MPOL_LOCAL, MPOL_PREFERRED with no node). MPOL_DEFAULT drops
 * MPOL_MF_STRICT (do_mbind), and only pages with a PTE in this mapping are walked.
 */
const misplacedMapped = (c: M, a: number, b: number): boolean =>
  baseMode(mbindMode(c.op.mode)) !== MPOL.DEFAULT && (nodesRead(c.op.nodes) & 1n) === 0n && (imAny(c.map.ptes, a, b) || imAny(c.map.cow, a, b));

/** Like misplacedMapped, for pages fault-around may have mapped (shmem only). */
const misplacedMaybe = (c: M, a: number, b: number): boolean =>
  baseMode(mbindMode(c.op.mode)) !== MPOL.DEFAULT && (nodesRead(c.op.nodes) & 1n) === 0n && maybeMappedIn(c.map, a, b).length > 0;

export const sharedSkip = fact(
  'GEN-MPOL-SHARED-SKIP',
  'mm/mempolicy.c migrate_folio_add, v6.18 (without MPOL_MF_MOVE_ALL a folio that folio_maybe_mapped_shared() reports is skipped and not counted as failed); measured on 6.18.44 by a random native run',
);

/**
 * Does this mapping hold a PTE on a page of map pages [a, b) that no other live mapping of the
 * file maps (the folio's mapcount is 1)? The page-table walk only sees this VMA's PTEs, but the
 * shared-folio test counts every mapping of the folio.
 */
const mappedOnlyHere = (c: M, a: number, b: number): boolean => {
  const others: Array<readonly [number, number]> = [];
  for (const [id, m] of c.s.maps) {
    if (id === c.op.map || m.inode !== c.map.inode) continue;
    imEach(m.ptes, 0, m.pages, (x, y, v) => {
      if (v !== undefined) others.push([m.pgoff + x, m.pgoff + y]);
    });
  }
  others.sort((l, r) => l[0] - r[0]);
  let once = false;
  imEach(c.map.ptes, a, b, (x, y, v) => {
    if (v === undefined || once) return;
    // Is file range [pgoff+x, pgoff+y) fully covered by other mappings' PTEs?
    let at = c.map.pgoff + x;
    const end = c.map.pgoff + y;
    for (const [s, e] of others) if (s <= at && e > at) at = e;
    if (at < end) once = true;
  });
  return once;
};

export const pol1Inode = fact('POL-1', 'POL-1; S2 kvm_gmem_set_policy (shared policy keyed by file offset)');
export const shmemPolicy = fact('GEN-SHMEM-POLICY', 'mm/shmem.c shmem_set_policy');
export const mpolMerge = fact('GEN-MPOL-MERGE', 'mm/mempolicy.c mbind_range, vma_modify_policy, vma_replace_policy, mpol_set_shared_policy (v7.2): set_policy covers the merged VMA');
export const mbindMapChain = [pol1] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
/** start + len wraps past 2^64: EINVAL (do_mbind, end < start). */
export const pol4Wraps = rule<C>({
  id: 'POL-4',
  cite: 'POL-4; mm/mempolicy.c do_mbind (end < start: EINVAL)',
  decide: ({ s }) => only(s, err('EINVAL')),
});

/**
 * Whether a range ending within TASK_SIZE of 2^64 wraps depends on the mapping's address: if it
 * does, EINVAL; if not, the range runs past the mapping and mbind answers as for any such range —
 * EFAULT for a hole, or, for MPOL_DEFAULT, the mapped part takes the policy (pol4Range). This
 * allowed only EINVAL or EFAULT before, with no effect; the declaration-derived generator met
 * mbind(DEFAULT) with such a length (mm/mempolicy.c do_mbind, v6.18).
 */
const mbind: Handler<'mbind'> = (p, s, o) => {
  const full = onMap({ p, s, op: o }, mbindPre, o.map, mbindMapChain);
  const maybe = first({ p, s, op: o }, [mbindDead, pol4Mbind]) === undefined && wrapsU64(o.offset, o.length) === 'maybe';
  return maybe ? eitherVerdict(must({ p, s, op: o }, [pol4Wraps]), full, 'whether start+len wraps depends on the mapping address') : full;
};

export const steps = {
  mbind,
} satisfies Steps;
