/**
 * mprotect of a range of a mapping (MAP-19; docs/kernel-surface.md E07), in do_mprotect_pkey's
 * order (mm/mprotect.c, v6.18 and v7.2 alike):
 *   1. GROWSDOWN together with GROWSUP → EINVAL;
 *   2. an unaligned start → EINVAL; a length of 0 → 0; PAGE_ALIGN(len) wrapping start + len (or
 *      rounding to 0) → ENOMEM;
 *   3. arch_validate_prot (the generic one on x86): any bit outside READ|WRITE|EXEC|SEM → EINVAL;
 *   4. the first VMA meeting [start, end): none → ENOMEM; one that starts above start (start in a
 *      hole) → ENOMEM; GROWSDOWN or GROWSUP on a VMA that cannot grow (every file VMA) → EINVAL;
 *   5. VMA by VMA: PROT_EXEC on a VMA without VM_MAYEXEC (the gmem pseudo filesystem is noexec)
 *      → EACCES; mprotect_fixup splits the VMA at the range's ends and sets the new protection
 *      (a private VMA made writable is charged to the commit limit first: ENOMEM);
 *   6. a hole after the VMAs that were changed → ENOMEM (what was changed stays changed).
 * The harness convention: a start below the mapping meets no VMA (the native target relocates such a
 * range whole, as for munmapPart), so it is ENOMEM after the argument checks.
 */
import { PROT, err, ok, type Outcome } from '../vocab/index.js';
import { andThen, cases, fact, only, rule, type Decision } from '../rule.js';
import { P, aligned, wrapsU64, type Ctx, type MapCtx } from '../ctx.js';
import { withMap } from '../state/update.js';
import type { SpecState } from '../state/types.js';
import { deadMap } from '../lifetime/handles.js';
import { onMap, type Steps } from '../run.js';
import { protRuns, withProt } from './prot-at.js';

type C = Ctx<'mprotectRange'>;
type M = MapCtx<'mprotectRange'>;

const PROT_SEM = 0x8n;
const GROWS = 0x01000000n | 0x02000000n;
const RWX = BigInt(PROT.READ | PROT.WRITE | PROT.EXEC);
/** The commit limit the spec assumes may refuse a private writable range (GEN-OVERCOMMIT, as mmap's). */
const COMMIT_LIMIT_PAGES = (1n << 30n) / P;

export const map19Fact = fact('MAP-19', 'MAP-19; mm/mprotect.c do_mprotect_pkey (the walk: a hole after the changed VMAs → ENOMEM), mprotect_fixup, v6.18 and v7.2');
const overcommit = fact('GEN-OVERCOMMIT', 'mm/mprotect.c mprotect_fixup (VM_WRITE on a private VMA without VM_ACCOUNT: security_vm_enough_memory_mm); mm/util.c __vm_enough_memory');

const badProt = (prot: bigint): boolean => ((prot & ~GROWS) & ~(RWX | PROT_SEM)) !== 0n;

/** mmap_min_addr's default: no mapping of the suite lies below it (MAP_FIXED at 0 is never issued, CONVENTIONS.md). */
const MIN_BASE = 1n << 16n;
/**
 * Does start + PAGE_ALIGN(len) wrap? wrapsU64, sharpened by the mapping base being ≥ MIN_BASE. In
 * the band it leaves 'maybe' (an end between 2^64 − TASK_SIZE and 2^64 − MIN_BASE above the
 * base) the wrap (ENOMEM, nothing changed) and the walk (the mapping's pages changed, then ENOMEM)
 * answer the same errno with different states, which one verdict cannot hold: the spec takes the
 * wrap there (the targets' bases lie high: the emulator reads its base as TASK_SIZE for this check).
 */
const wraps = (offset: bigint, len: bigint): 'yes' | 'no' | 'maybe' => {
  const w = wrapsU64(BigInt.asUintN(64, offset), len);
  if (w !== 'maybe' || offset < 0n) return w;
  return offset + ((len + P - 1n) & ~(P - 1n)) >= (1n << 64n) - MIN_BASE ? 'yes' : 'maybe';
};

/** Steps 1–4 of the header. */
export const mprotectRangeArgs = rule<C>({
  id: 'MAP-19',
  cite: 'MAP-19; mm/mprotect.c do_mprotect_pkey (grows both → EINVAL; start & ~PAGE_MASK → EINVAL; !len → 0; end <= start → ENOMEM; arch_validate_prot → EINVAL; vma_find none or vm_start > start → ENOMEM; !VM_GROWSDOWN/!VM_GROWSUP → EINVAL); include/linux/mman.h arch_validate_prot, v6.18, v7.2',
  decide: ({ s, op }) => {
    const grows = op.prot & GROWS;
    if (grows === GROWS || !aligned(op.offset)) return only(s, err('EINVAL'));
    const len = BigInt.asUintN(64, op.length);
    if (len === 0n) return only(s, ok());
    const wrap = wraps(op.offset, len);
    if (wrap === 'yes') return only(s, err('ENOMEM'));
    if (badProt(op.prot)) {
      return wrap === 'no' ? only(s, err('EINVAL'))
        : cases([[err('ENOMEM'), () => s], [err('EINVAL'), () => s]], 'MAP-19: whether start + len wraps (ENOMEM, before the prot check) depends on the mapping address');
    }
    // Below the mapping or past its last page: no VMA there (both answers of a wrap are ENOMEM).
    if (op.offset < 0n || op.offset >> 12n >= BigInt(s.maps.get(op.map)!.pages)) return only(s, err('ENOMEM'));
    if (grows !== 0n) {
      return wrap === 'no' ? only(s, err('EINVAL'))
        : cases([[err('ENOMEM'), () => s], [err('EINVAL'), () => s]], 'MAP-19: whether start + len wraps (ENOMEM, before the VMA lookup) depends on the mapping address');
    }
    // The band where the address decides the wrap: taken as wrapped (see `wraps`).
    return wrap === 'maybe' ? only(s, err('ENOMEM')) : undefined;
  },
});
export const mprotectRangeDead = deadMap<C>('ENOMEM');
export const mprotectRangePre = [mprotectRangeDead, mprotectRangeArgs] as const;

/** MAP-3: the gmem VMA lacks VM_MAYEXEC (noexec mount): PROT_EXEC is EACCES at the first VMA, before any change. */
export const map3MprotectRange = rule<M>({
  id: 'MAP-3',
  cite: 'MAP-3; mm/mprotect.c do_mprotect_pkey ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS → EACCES), v7.2 (obs:MM-40)',
  decide: ({ s, op, ino }) => (ino.kind === 'gmem' && (op.prot & BigInt(PROT.EXEC)) !== 0n ? only(s, err('EACCES')) : undefined),
});

/** Steps 5–6: the pages of the range within the mapping get the new protection; a range past its end then meets a hole. */
export const map19Walk = rule<M>({
  id: 'MAP-19',
  cite: 'MAP-19; mm/mprotect.c do_mprotect_pkey (for_each_vma_range; vm_start != tmp → ENOMEM; tmp < end → ENOMEM), mprotect_fixup (vma_modify_flags splits at start and end), v6.18, v7.2',
  decide: ({ s, op, map }): Decision => {
    const len = BigInt.asUintN(64, op.length);
    const a = Number(op.offset >> 12n);
    const want = (op.offset + len + P - 1n) >> 12n;
    const e = want > BigInt(map.pages) ? map.pages : Number(want);
    const prot = Number(op.prot & RWX);
    const upTo = (end: number) => (): SpecState => withMap(s, op.map, withProt(map, a, end, prot));
    const pairs: (readonly [Outcome, () => SpecState])[] = [[want > BigInt(map.pages) ? err('ENOMEM') : ok(), upTo(e)]];
    // A private VMA made writable is charged first; a large one may exceed the commit limit (ENOMEM there).
    if (!map.shared && (prot & PROT.WRITE) !== 0) {
      for (const r of protRuns(map, a, e)) {
        if ((r.prot & PROT.WRITE) === 0 && BigInt(r.e - r.s) > COMMIT_LIMIT_PAGES) pairs.push([err('ENOMEM'), upTo(r.s)]);
      }
    }
    return pairs.length === 1 ? andThen(pairs[0]![0], pairs[0]![1], [map19Fact])
      : cases(pairs, 'GEN-OVERCOMMIT: a large private range made writable may exceed the commit limit', [map19Fact, overcommit]);
  },
});
export const mprotectRangeChain = [map3MprotectRange, map19Walk] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  mprotectRange: (p, s, o) => onMap({ p, s, op: o }, mprotectRangePre, o.map, mprotectRangeChain),
} satisfies Steps;
