/**
 * UFFDIO_WRITEPROTECT (UFD-20) and the uffd-wp state of a page it leaves behind.
 *
 * Check order (mm/userfaultfd.c userfaultfd_writeprotect, validate_range, mwriteprotect_range,
 * v7.2; fs/userfaultfd.c userfaultfd_writeprotect with mm/userfaultfd.c mwriteprotect_range at
 * v6.18): the range (start page aligned, length a non-zero page multiple, inside TASK_SIZE), then
 * the mode (bits beyond WP|DONTWAKE, or WP together with DONTWAKE) — EINVAL; then the VMAs the
 * range meets, in address order: the first one not registered for WP (VM_UFFD_WP, whichever
 * context registered it) ends the walk with ENOENT — the VMAs before it keep what the walk did to
 * them — and a range that meets no VMA at all is ENOENT too. Each WP VMA gets change_protection
 * with MM_CP_UFFD_WP (set) or MM_CP_UFFD_WP_RESOLVE (clear): a present PTE gets or loses the
 * uffd-wp bit, an empty PTE of a file VMA (shmem, guest_memfd) gets a uffd-wp marker
 * (userfaultfd_wp_use_markers: file VMAs always use markers), and clearing removes the markers.
 *
 * Whether the page's state then raises a WP userfault on a store is ./wp-fault.ts.
 */
import { UFFD_FEATURE, UFFD_MODE, UFFDIO_WRITEPROTECT_MODE, err, ok, type OpOf, type Profile } from '../vocab/index.js';
import { andThen, cases, only, rule } from '../rule.js';
import { TASK_SIZE, aligned, type Ctx } from '../ctx.js';
import { deadMap, ebadf } from '../lifetime/handles.js';
import { imEach, imFind, imGet, imSet, imUpdate } from '../state/imap.js';
import { withMap } from '../state/update.js';
import type { Mapping, SpecState } from '../state/types.js';
import { must, type Steps } from '../run.js';
import type { Verdict } from '../verdict.js';

type C = Ctx<'uffdWriteProtect'>;
const P = 4096n;
const KNOWN_MODE = UFFDIO_WRITEPROTECT_MODE.WP | UFFDIO_WRITEPROTECT_MODE.DONTWAKE;

/** Is map page mp in a VMA registered for WP (VM_UFFD_WP)? */
export const wpRegistered = (map: Mapping, mp: number): boolean => ((imGet(map.uffd, mp)?.mode ?? 0n) & UFFD_MODE.WP) !== 0n;

/** The uffd-wp state of map page mp (undefined: none). */
export const wpAt = (map: Mapping, mp: number): true | 'maybe' | undefined => (map.wp === undefined ? undefined : imGet(map.wp, mp));

/** Does the context that registered page mp resolve WP faults in the kernel (UFFD_FEATURE_WP_ASYNC)? */
export const wpAsyncAt = (s: SpecState, map: Mapping, mp: number): boolean => {
  const reg = imGet(map.uffd, mp);
  return reg !== undefined && ((s.uffds.get(reg.uffd)?.features ?? 0n) & UFFD_FEATURE.WP_ASYNC) !== 0n;
};

/** The mapping with the uffd-wp state of map pages [a, b) set to v. */
export const withWp = (map: Mapping, a: number, b: number, v: true | 'maybe' | undefined): Mapping =>
  a >= b || (v === undefined && map.wp === undefined) ? map : { ...map, wp: imSet(map.wp ?? null, a, b, v) };

/**
 * A page whose registration loses WP while it carries uffd-wp state keeps the bit or marker
 * (userfaultfd_register_range → userfaultfd_set_vm_flags changes only the VMA flags): stale,
 * so the spec keeps it as `maybe` from then on.
 */
export const staleWp = (map: Mapping, a: number, b: number): Mapping =>
  map.wp === undefined ? map : { ...map, wp: imUpdate(map.wp, a, b, (v) => (v === undefined ? v : 'maybe')) };

/** The uffd-wp state of [a, b) off where a poison marker sits (and only perhaps where one perhaps does). */
const skipPoisoned = (map: Mapping, a: number, b: number): Mapping => {
  if (map.poison === undefined || map.poison === null || map.wp === undefined) return map;
  let wp = map.wp;
  imEach(map.poison, a, b, (x, y, v) => { if (v !== undefined) wp = imSet(wp, x, y, v === true ? undefined : 'maybe'); });
  return { ...map, wp };
};

export const wpDeadMap = deadMap<C>('EFAULT');
export const wpDeadUffd = ebadf<C>(({ s, op }) => !s.uffds.has(op.uffd));

/** UFD-20: validate_range and the mode, before any VMA is looked at. */
export const wpArgs = rule<C>({
  id: 'UFD-20',
  cite: 'UFD-20; mm/userfaultfd.c userfaultfd_writeprotect, validate_range, validate_unaligned_range, v7.2',
  decide: ({ s, op }) => {
    if (!aligned(op.offset) || !aligned(op.length) || op.length === 0n || op.length > TASK_SIZE) return only(s, err('EINVAL'));
    if (op.offset >= 0n && op.offset + op.length > TASK_SIZE) return only(s, err('EINVAL'));
    const wpDontwake = UFFDIO_WRITEPROTECT_MODE.WP | UFFDIO_WRITEPROTECT_MODE.DONTWAKE;
    if ((op.mode & ~KNOWN_MODE) !== 0n || (op.mode & wpDontwake) === wpDontwake) return only(s, err('EINVAL'));
    return undefined;
  },
});

/**
 * UFD-20: the VMA walk. A start outside the mapping meets no VMA of the modelled address space
 * (the native target issues it where nothing is mapped): ENOENT, unless the range then crosses
 * TASK_SIZE, which depends on the address (EINVAL). A start inside: page by page up to the
 * mapping's end, the first page not registered for WP stops the walk with ENOENT after the pages
 * before it changed; a range running past the mapping changes the mapping's own pages (the gap
 * after it holds no VMA, skipped) unless start + length crosses TASK_SIZE there (EINVAL, nothing
 * changed).
 */
export const ufd20 = rule<C>({
  id: 'UFD-20',
  cite: 'UFD-20; mm/userfaultfd.c mwriteprotect_range (for_each_vma_range: !userfaultfd_wp → ENOENT), uffd_wp_range, mm/mprotect.c change_pte_range (MM_CP_UFFD_WP: pte_mkuffd_wp, a PTE_MARKER_UFFD_WP on a none PTE of a file VMA; MM_CP_UFFD_WP_RESOLVE clears both), include/linux/userfaultfd_k.h userfaultfd_wp_use_markers, v7.2',
  decide: ({ s, op }) => {
    const map = s.maps.get(op.map)!;
    const a = Number(op.offset >> 12n);
    if (op.offset < 0n || a >= map.pages) {
      return cases([[err('ENOENT'), () => s], [err('EINVAL'), () => s]], 'UFD-20: a start outside the mapping meets no VMA (ENOENT) unless the range crosses TASK_SIZE from where it is issued (EINVAL)');
    }
    const end = op.offset + op.length;
    const b = end > BigInt(map.pages) * P ? map.pages : Number(end >> 12n);
    // Runs, not pages: a mapping may span terabytes.
    const stop = imFind(map.uffd, a, b, (r) => r === undefined || (r.mode & UFFD_MODE.WP) === 0n) ?? b;
    const v = (op.mode & UFFDIO_WRITEPROTECT_MODE.WP) !== 0n ? true : undefined;
    // change_pte_range skips a poison marker (UFD-22): such a page gets no uffd-wp state.
    const next = () => withMap(s, op.map, v === undefined ? withWp(map, a, stop, v) : skipPoisoned(withWp(map, a, stop, v), a, stop));
    const out = stop < b ? err('ENOENT') : ok();
    if (end <= BigInt(map.pages) * P) return andThen(out, next);
    return cases([[out, next], [err('EINVAL'), () => s]], 'UFD-20: a range past the mapping crosses TASK_SIZE or not depending on the address');
  },
});

export const wpPre = [wpDeadMap, wpDeadUffd, wpArgs, ufd20] as const;

const uffdWriteProtect = (p: Profile, s: SpecState, op: OpOf<'uffdWriteProtect'>): Verdict<SpecState> => must({ p, s, op }, wpPre);

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = { uffdWriteProtect } satisfies Steps;
