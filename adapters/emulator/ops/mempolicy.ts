/**
 * mbind / get_mempolicy / set_mempolicy on gmem and memfd mappings (POL-1..4, POL-8).
 * vma_replace_policy skips a VMA whose own policy already equals the new one, and only then calls
 * the file's set_policy: shmem and ≥6.19 gmem (P-POL-SCOPE=INODE) keep a shared policy by file
 * offset; 6.18 gmem keeps only vma->vm_policy (POL-1′). Queries read the shared policy where the
 * file has get_policy, else the VMA's; nothing recorded reports MPOL_DEFAULT (POL-2).
 */
import { err, MPOL_MF, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { gupPage } from '../gup.js';
import { aligned, asU64, P } from '../i64.js';
import { makePolicy, mbindMode, modeValid, readNodes, reportPolicy, usesSharedPolicy } from '../numa.js';
import type { Folio, Mapping, Policy } from '../state.js';
import type { RangeMap } from '../rangemap.js';
import { policyEq } from '../state.js';

const MF_VALID = MPOL_MF.STRICT | MPOL_MF.MOVE | MPOL_MF.MOVE_ALL;

export const mbind = (k: Kernel, op: OpOf<'mbind'>): Outcome => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  // kernel_mbind: mode and mode flags, then do_mbind: flags, start alignment, an empty range
  // returns 0 before mpol_new looks at the node mask.
  const mode = mbindMode(op.mode);
  if (!modeValid(mode)) return err('EINVAL');
  if (op.flags & ~MF_VALID || op.flags < 0) return err('EINVAL');
  const off = asU64(op.offset);
  if (!aligned(off)) return err('EINVAL');
  // PAGE_ALIGN on an unsigned long: a length within a page of 2^64 rounds to 0, and do_mbind
  // returns 0 for the empty range (it has no len_in check as madvise has; mm/mempolicy.c v6.18).
  const len = asU64(asU64(op.length) + P - 1n) & ~(P - 1n);
  if (off + len >= 1n << 64n) return err('EINVAL');
  if (len === 0n) return ok();
  const pol = makePolicy(k, mode, op.nodes);
  if (pol === 'EINVAL') return err('EINVAL');
  const s = Number(off / P);
  const e = s + Number(len / P);
  // queue_pages_range: the whole range must be mapped (POL-4) — unless the new policy is the
  // default one: do_mbind then passes MPOL_MF_DISCONTIG_OK and only an all-hole range fails.
  if (pol === null ? s >= m.npages : e > m.npages) return err('EFAULT');
  // MPOL_MF_STRICT (dropped for MPOL_DEFAULT): the page-table walk looks at every page this
  // mapping maps in the range; one on a node outside the mask is misplaced. STRICT alone stops
  // there with EIO and stores nothing; with MOVE the policy is stored and the migration runs,
  // which gmem folios refuse (MAP-12): EIO again. Measured on 6.18 (queue_folios_pte_range).
  const end = Math.min(e, m.npages);
  const strict = pol !== null && (op.flags & MPOL_MF.STRICT) !== 0;
  const moving = (op.flags & (MPOL_MF.MOVE | MPOL_MF.MOVE_ALL)) !== 0;
  const misplaced = strict ? misplacedFolios(m, s, end, op.nodes) : [];
  if (misplaced.length > 0 && !moving) return err('EIO');
  applyPolicy(k, m, s, end, pol);
  // migrate_folio_add: without MOVE_ALL a folio mapped more than once stays and is no failure;
  // any other gmem folio cannot be isolated for migration (MAP-12), which STRICT reports.
  const all = (op.flags & MPOL_MF.MOVE_ALL) !== 0;
  const failed = m.inode.kind === 'gmem' && misplaced.some(([page, f]) => all || mapcount(m, page, f) === 1);
  return failed ? err('EIO') : ok();
};

/** [file page, folio] this mapping maps in [s, e) (map pages) whose folio sits on a node not in `nodes`. */
const misplacedFolios = (m: Mapping, s: number, e: number, word: bigint): Array<readonly [number, Folio]> => {
  const nodes = readNodes(word);
  const outside = (node: number) => ((nodes >> BigInt(node)) & 1n) === 0n;
  const out: Array<readonly [number, Folio]> = [];
  for (const [page, f] of m.ptes) if (page >= m.pgoff + s && page < m.pgoff + e && outside(f.node)) out.push([page, f]);
  for (const [page, f] of m.anon) if (page >= m.pgoff + s && page < m.pgoff + e && outside(f.node)) out.push([page, f]);
  return out;
};

/** How many mappings of the file map this folio at this file page (folio_mapcount of a small folio). */
const mapcount = (m: Mapping, page: number, f: Folio): number => {
  let n = 0;
  for (const other of m.inode.maps) if (other.ptes.get(page) === f) n++;
  return n;
};

/** mbind_range over the VMA pieces of [s, e): equal pieces are skipped (the POL-3 quirk). */
const applyPolicy = (k: Kernel, m: Mapping, s: number, e: number, pol: Policy | null): void => {
  const shared = usesSharedPolicy(k, m.inode);
  let at = s;
  const pieces: Array<readonly [number, number, Policy | null]> = [];
  for (const [a, b, v] of m.vmaPolicy.overlaps(s, e)) {
    if (a > at) pieces.push([at, a, null]);
    pieces.push([a, b, v]);
    at = b;
  }
  if (at < e) pieces.push([at, e, null]);
  const changed = pieces.filter(([, , cur]) => !(policyEq(cur, pol) && !(m.inode.kind === 'gmem' && k.bug('pol-default-always-clears'))))
    .map(([a, b]) => vmaAfterMerge(m, a, b, pol));
  for (const [a, b] of changed) {
    if (shared) {
      if (pol) m.inode.sharedPolicy.set(m.pgoff + a, m.pgoff + b, pol);
      else m.inode.sharedPolicy.delete(m.pgoff + a, m.pgoff + b);
    }
    if (pol) m.vmaPolicy.set(a, b, pol);
    else m.vmaPolicy.delete(a, b);
  }
};

/** Pages x, y lie in one VMA: same VMA policy, VM_HUGEPAGE and uffd registration. */
const oneVma = (m: Mapping, x: number, y: number, polX: Policy | null | undefined = m.vmaPolicy.get(x)): boolean => {
  const ux = m.uffd.get(x);
  const uy = m.uffd.get(y);
  return policyEq(polX ?? null, m.vmaPolicy.get(y) ?? null) && m.hugepage.get(x) === m.hugepage.get(y) && ux?.ctx === uy?.ctx && ux?.mode === uy?.mode;
};

/**
 * vma_modify_policy merges the changed piece with a neighbouring VMA that already has the new
 * policy and the same flags; the file's set_policy then runs on the whole merged VMA, so the
 * neighbour's pages get the shared policy too (mm/mempolicy.c mbind_range, v7.2).
 */
export const vmaAfterMerge = (m: Mapping, a: number, b: number, pol: Policy | null): readonly [number, number] => {
  let s = a;
  let e = b;
  // Jump from boundary to boundary of the three range maps, not page by page (maps are large).
  const cuts = (): number[] => {
    const c = new Set<number>([0, m.npages]);
    for (const rm of [m.vmaPolicy, m.hugepage, m.uffd] as RangeMap<unknown>[]) for (const [x, y] of rm.overlaps(0, m.npages)) { c.add(x); c.add(y); }
    return [...c].sort((x, y) => x - y);
  };
  if (a > 0 && oneVma(m, a, a - 1, pol)) {
    const c = cuts();
    for (let i = c.findIndex((x) => x >= a) - 1; i >= 0 && oneVma(m, c[i]!, a - 1); i--) s = c[i]!;
  }
  if (b < m.npages && oneVma(m, b - 1, b, pol)) {
    const c = cuts();
    for (let i = c.findIndex((x) => x > b); i >= 0 && i < c.length && oneVma(m, c[i - 1]!, b); i++) e = c[i]!;
  }
  return [s, e];
};

export const getMempolicy = (k: Kernel, op: OpOf<'getMempolicy'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m || op.offset < 0n || op.offset >= BigInt(m.npages) * P) return err('EFAULT');
  const mp = Number(op.offset / P);
  if (op.query === 'ADDR_NODE') {
    // POL-8: lookup_node faults the page in through GUP; a refused fault → EFAULT.
    const folio = gupPage(k, m, mp, false);
    return folio ? ok({ node: folio.node }) : err('EFAULT');
  }
  return ok(reportPolicy(queryPolicy(k, m, mp)));
};

/** __get_vma_policy: the file's get_policy if it has one, else vma->vm_policy. */
const queryPolicy = (k: Kernel, m: Mapping, mp: number): Policy | null => {
  const own = usesSharedPolicy(k, m.inode) ? m.inode.sharedPolicy.get(m.pgoff + mp) : m.vmaPolicy.get(mp);
  if (own) return own;
  // P-POL-QUERY=TASK (rejected in review) and the matching bug report the task policy instead of DEFAULT.
  const task = m.inode.kind === 'gmem' && (k.profile.variants.polQuery === 'TASK' || k.bug('pol-query-task'));
  return task ? k.taskPolicy : null;
};

export const setMempolicy = (k: Kernel, op: OpOf<'setMempolicy'>): Outcome => {
  const pol = makePolicy(k, op.mode, op.nodes);
  if (pol === 'EINVAL') return err('EINVAL');
  k.taskPolicy = pol;
  k.ilPrev = 0;
  return ok();
};
