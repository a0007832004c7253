/**
 * Guard markers (MAP-30): MADV_GUARD_INSTALL puts a PTE marker on every page of the range, after
 * zapping whatever the range mapped (the page-cache PTEs and a private mapping's COW copies);
 * MADV_GUARD_REMOVE clears them. A marked page faults with SIGSEGV SEGV_MAPERR on any access, and
 * the check comes before the file's fault method (a non-none PTE never reaches ->fault): so a
 * private guest_memfd page or a page past EOF gives SIGSEGV, not SIGBUS. GUP meets the same fault
 * and answers EFAULT (kernelAccess, directIo, futex, pins, POPULATE_*, the mlock populate).
 *
 * The markers survive what zaps PTEs without ZAP_FLAG_DROP_MARKER: MADV_DONTNEED, PAGEOUT, a
 * punch hole or MADV_REMOVE on shmem, truncation (unmap_mapping_range first, then the page cache
 * is emptied of folios no longer mapped). guest_memfd's punch has no unmap_mapping_range first:
 * truncate_inode_pages_range finds a folio still mapped by another mapping and unmaps it with
 * unmap_mapping_folio, which passes ZAP_FLAG_DROP_MARKER, so the markers over that folio's index
 * in every mapping of the file go with it (./guard-punch.ts).
 */
import { err, ok } from '../vocab/index.js';
import { cases, fact, rule, andThen } from '../rule.js';
import { P, type MapCtx } from '../ctx.js';
import { imEach, imFind, imGet, imSet } from '../state/imap.js';
import { withWp } from '../uffd/writeprotect.js';
import { withMap } from '../state/update.js';
import type { Mapping } from '../state/types.js';
import { segv, type Acc } from './access.js';

type M = MapCtx<'madvise'>;

export const MAP30_CITE = 'MAP-30; mm/madvise.c madvise_guard_install, madvise_guard_remove, is_valid_guard_vma; mm/memory.c handle_pte_marker (PTE_MARKER_GUARD → VM_FAULT_SIGSEGV), zap_nonpresent_ptes (guard markers kept unless ZAP_FLAG_DROP_MARKER), v6.18, v7.2';
export const map30Fact = fact('MAP-30', MAP30_CITE);

/** The first marked map page in [a, b), if any. */
export const firstGuard = (map: Mapping, a: number, b: number): number | undefined =>
  map.guard === undefined ? undefined : imFind(map.guard, a, b, (v) => v === true);

/** Is map page mp marked? */
export const guarded = (map: Mapping, mp: number): boolean => map.guard !== undefined && imGet(map.guard, mp) !== undefined;

/** [a, b) in map pages, clipped to the mapping; `holes` when the range runs past its end. */
const span = (c: M) => {
  const a = Number(c.op.offset >> 12n);
  const want = Number((c.op.offset + c.op.length + P - 1n) >> 12n);
  const b = Math.min(want, c.map.pages);
  return { a: Math.min(a, b), b, holes: want > c.map.pages };
};

/** The mapping with markers on [a, b): zapped first (PTEs, fault-around maybes, private copies). */
export const installed = (map: Mapping, a: number, b: number): Mapping => ({
  ...map,
  ptes: imSet(map.ptes, a, b, undefined),
  around: imSet(map.around, a, b, undefined),
  cow: imSet(map.cow, a, b, undefined),
  guard: imSet(map.guard ?? null, a, b, true),
  // madvise_guard_install zaps a range whose PTEs are not none first: a poison marker goes (UFD-22; measured on 6.18.44 memfd).
  ...(map.poison === undefined ? {} : { poison: imSet(map.poison, a, b, undefined) }),
});

/**
 * MAP-30 (install): refused on a file VMA by a kernel without file-backed guard regions
 * (P-GUARD-FILE=EINVAL: v6.13, v6.14 allowed anonymous VMAs only); an mlocked VMA refuses it
 * (is_valid_guard_vma without allow_locked: zapping a locked range is not allowed) after the VMAs
 * before it got their markers, as madvise_walk_vmas goes VMA by VMA. Holes: ENOMEM after the
 * mapped part.
 */
export const map30Install = rule<M>({
  id: 'MAP-30',
  cite: MAP30_CITE + '; P-GUARD-FILE',
  decide: (c) => {
    if (c.op.advice !== 'GUARD_INSTALL') return undefined;
    if (c.p.variants.guardFile === 'EINVAL') return cases([[err('EINVAL'), () => c.s]], undefined);
    const { a, b, holes } = span(c);
    const lockedAt = imFind(c.map.locked, a, b, (v) => v !== undefined);
    const end = lockedAt ?? b;
    const next = () => (a < end ? withMap(c.s, c.op.map, installed(c.map, a, end)) : c.s);
    return andThen(lockedAt !== undefined ? err('EINVAL') : holes ? err('ENOMEM') : ok(), next);
  },
});

/** The mapping without uffd-wp state on its guard markers in [a, b). */
const unWpGuards = (map: Mapping, a: number, b: number): Mapping => {
  if (map.guard === undefined || map.wp === undefined) return map;
  let m = map;
  imEach(map.guard, a, b, (x, y, v) => { if (v !== undefined) m = withWp(m, x, y, undefined); });
  return m;
};

/** MAP-30 (remove): clears the markers of the range; allowed on an mlocked VMA (nothing is zapped). */
export const map30Remove = rule<M>({
  id: 'MAP-30',
  cite: MAP30_CITE + '; P-GUARD-FILE',
  decide: (c) => {
    if (c.op.advice !== 'GUARD_REMOVE') return undefined;
    if (c.p.variants.guardFile === 'EINVAL') return cases([[err('EINVAL'), () => c.s]], undefined);
    const { a, b, holes } = span(c);
    // The marker goes whole: a uffd-wp bit PAGEMAP_SCAN's WP_MATCHING set on it goes too (UFD-21; measured on 6.18.44 memfd: 0x111, then WRITTEN).
    const next = () => (a < b && c.map.guard !== undefined ? withMap(c.s, c.op.map, { ...unWpGuards(c.map, a, b), guard: imSet(c.map.guard, a, b, undefined) }) : c.s);
    return andThen(holes ? err('ENOMEM') : ok(), next);
  },
});

/**
 * MAP-30 (access): a load or store on a marked page → SIGSEGV SEGV_MAPERR (do_user_addr_fault
 * turns VM_FAULT_SIGSEGV into bad_area_nosemaphore). The VMA's protection is checked first
 * (access_error, SEGV_ACCERR); the marker before EOF, shareability and userfaultfd, which are
 * all decided inside the fault method a marked page never reaches.
 */
export const map30Access = rule<Acc>({
  id: 'MAP-30',
  cite: MAP30_CITE + '; arch/x86/mm/fault.c do_user_addr_fault, mm_fault_error (VM_FAULT_SIGSEGV → SEGV_MAPERR)',
  decide: (a) => (guarded(a.map, a.mp) ? cases([[segv(a.offset, 'SEGV_MAPERR'), () => a.s]], undefined) : undefined),
});
