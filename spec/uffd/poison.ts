/**
 * UFFDIO_POISON (UFD-22) and the poison PTE marker it leaves behind.
 *
 * Check order (mm/userfaultfd.c userfaultfd_poison, mfill_atomic, mfill_atomic_pte_poison, v7.2;
 * fs/userfaultfd.c userfaultfd_poison with mm/userfaultfd.c mfill_atomic_pte_poison, v6.18): the
 * range (validate_range: start page aligned, length a non-zero page multiple, inside TASK_SIZE),
 * then the mode (any bit beyond DONTWAKE) — EINVAL; then the VMA (the range inside one VMA
 * registered with any context, else ENOENT: GEN-UFFD-MFILL), which must be anonymous or shmem on
 * 6.18 (a guest_memfd VMA has no uffd support there: EINVAL, UFD-1; the uffd series gives it
 * vm_uffd_ops and the generic poison path). Then page by page: a page past EOF is EFAULT
 * (mfill_file_over_size), a PTE that is not none — a mapped page, a private copy, a guard, uffd-wp
 * or poison marker — is EEXIST; otherwise the PTE becomes a poison marker. A prefix done and then a
 * failing page is EAGAIN (updated ≠ len); the whole range done is 0 with updated = len.
 *
 * The marker (Mapping.poison) is what the other rules read: an access faults with VM_FAULT_HWPOISON
 * (mm/memory.c handle_pte_marker, before guard and uffd-wp markers), which the x86 fault handler
 * turns into SIGBUS BUS_MCEERR_AR with CONFIG_MEMORY_FAILURE and BUS_ADRERR without it
 * (arch/x86/mm/fault.c do_sigbus; this host's 6.18.44 has no CONFIG_MEMORY_FAILURE and answers
 * BUS_ADRERR); GUP gets EFAULT, or EHWPOISON under FOLL_HWPOISON (MADV_POPULATE_*;
 * include/linux/mm.h vm_fault_to_errno); pagemap shows PM_SWAP only. zap_nonpresent_ptes drops it
 * whenever the zap takes private copies too (MADV_DONTNEED, truncation, munmap) and keeps it for a
 * shmem or guest_memfd punch (unmap_mapping_range without even_cows; unmap_mapping_folio, both
 * skip_cows); unregistering and UFFDIO_WRITEPROTECT leave it; a resolve ioctl (COPY, ZEROPAGE,
 * CONTINUE) installs its PTE over it (pte_is_uffd_marker); MADV_GUARD_INSTALL replaces it.
 */
import { PAGE, UFFDIO_POISON_MODE, err, ok, type Errno, type OpOf, type Outcome, type Profile } from '../vocab/index.js';
import { andThen, cases, eitherOf, fact, only, rule, type Decision } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { imFind, imGet, imSet, imUpdate, type IMap } from '../state/imap.js';
import { withMap } from '../state/update.js';
import type { Mapping, SpecState } from '../state/types.js';
import { onMap, type Steps } from '../run.js';
import { maybeMappedIn, settled } from '../mmap/fault-around.js';
import { poisonDead, poisonDeadMap, poisonNotShmem, poisonRange } from './resolve.js';
import type { Verdict } from '../verdict.js';

type C = Ctx<'uffdPoison'>;
type M = MapCtx<'uffdPoison'>;

export const UFD22_CITE = 'UFD-22; mm/userfaultfd.c userfaultfd_poison, mfill_atomic, mfill_atomic_pte_poison (EFAULT past EOF, EEXIST over any non-none PTE), v7.2; fs/userfaultfd.c userfaultfd_poison, v6.18; mm/memory.c handle_pte_marker (PTE_MARKER_POISONED → VM_FAULT_HWPOISON), zap_nonpresent_ptes (poison dropped unless skip_cows), v6.18, v7.2';
export const ufd22Fact = fact('UFD-22', UFD22_CITE);

/** The poison marker of map page mp (undefined: none; 'maybe': a path the spec does not follow may have left it). */
export const poisonAt = (map: Mapping, mp: number): true | 'maybe' | undefined => (map.poison === undefined ? undefined : imGet(map.poison, mp));

/** The mapping with the poison state of map pages [a, b) set to v. */
export const withPoison = (map: Mapping, a: number, b: number, v: true | 'maybe' | undefined): Mapping =>
  a >= b || (v === undefined && (map.poison === undefined || map.poison === null)) ? map : { ...map, poison: imSet(map.poison ?? null, a, b, v) };

/** The first map page in [a, b) with a poison marker for sure (`sure`) or perhaps (`maybe`). */
export const firstPoison = (map: Mapping, a: number, b: number, which: true | 'maybe'): number | undefined =>
  map.poison === undefined || map.poison === null ? undefined : imFind(map.poison, a, b, (v) => v === which);

/** The SIGBUS of an access to a poisoned page: the si_code depends on CONFIG_MEMORY_FAILURE. */
export const poisonSignals = (offset: bigint): Outcome[] => [
  { kind: 'signal', signal: 'SIGBUS', code: 'BUS_MCEERR_AR', offset },
  { kind: 'signal', signal: 'SIGBUS', code: 'BUS_ADRERR', offset },
];
export const POISON_CODE_LOOSE = 'UFD-22: VM_FAULT_HWPOISON is SIGBUS BUS_MCEERR_AR with CONFIG_MEMORY_FAILURE and BUS_ADRERR without it (arch/x86/mm/fault.c do_sigbus): a build option, not a release';
export const POISON_LOOSE = 'UFD-22: a page the spec cannot follow may or may not carry a poison marker';

/** A zap that drops poison markers (DONTNEED, truncation): the mapping without them on [a, b). */
export const zapPoison = (map: Mapping, a: number, b: number): Mapping => withPoison(map, a, b, undefined);

/** UFD-22: the mode, after validate_range (both EINVAL) and before the VMA lookup. */
export const ufd22Mode = rule<C>({
  id: 'UFD-22',
  cite: 'UFD-22; mm/userfaultfd.c userfaultfd_poison (mode & ~UFFDIO_POISON_MODE_DONTWAKE → EINVAL, after validate_range), v7.2; fs/userfaultfd.c userfaultfd_poison, v6.18',
  decide: ({ s, op }) => ((op.mode & ~UFFDIO_POISON_MODE.DONTWAKE) !== 0n ? only(s, err('EINVAL')) : undefined),
});

interface Stop { readonly at: number; readonly errno: Errno }

/** The first page of [a, b) that refuses a marker for sure: past EOF (EFAULT, checked first), or a PTE not none (EEXIST). */
const sureStop = (map: Mapping, eof: number, a: number, b: number): Stop | undefined => {
  const cands: Stop[] = [];
  const add = (at: number | undefined, errno: Errno) => { if (at !== undefined) cands.push({ at, errno }); };
  if (eof < b) add(Math.max(a, eof), 'EFAULT');
  add(imFind(map.ptes, a, b, (v) => v !== undefined), 'EEXIST');
  add(imFind(map.cow, a, b, (v) => v !== undefined), 'EEXIST');
  if (map.guard !== undefined) add(imFind(map.guard, a, b, (v) => v !== undefined), 'EEXIST');
  if (map.wp !== undefined) add(imFind(map.wp, a, b, (v) => v === true), 'EEXIST');
  add(firstPoison(map, a, b, true), 'EEXIST');
  let best: Stop | undefined;
  // At one page EOF comes first (mfill_file_over_size before the pte_none check).
  for (const c of cands) if (best === undefined || c.at < best.at || (c.at === best.at && c.errno === 'EFAULT')) best = c;
  return best;
};

/** The first page of [a, b) that may or may not refuse (fault-around, a stale uffd-wp bit, a maybe-poison). */
const firstMaybe = (map: Mapping, a: number, b: number): number | undefined => {
  const c = [maybeMappedIn(map, a, b)[0], map.wp === undefined ? undefined : imFind(map.wp, a, b, (v) => v === 'maybe'), firstPoison(map, a, b, 'maybe')].filter((x): x is number => x !== undefined);
  return c.length === 0 ? undefined : Math.min(...c);
};

/** Map pages [a, b) poisoned: none of them had a PTE (a maybe-mapped page was not), so none had a uffd-wp marker either. */
const poisoned = (map: Mapping, a: number, b: number): Mapping => {
  const m = withPoison(settled(map, a, b), a, b, true);
  return m.wp === undefined ? m : { ...m, wp: imSet(m.wp, a, b, undefined) };
};

/**
 * UFD-22: the marker walk. A page that may or may not refuse (fault-around, a stale bit, a
 * maybe-marker) makes every stop from it to the sure end possible: the outcomes are that page's
 * EEXIST (when it is the first), EAGAIN with the pages after the sure prefix perhaps poisoned,
 * and the sure answer.
 */
export const ufd22 = rule<M>({
  id: 'UFD-22',
  cite: UFD22_CITE,
  decide: ({ s, op, map, ino }): Decision => {
    const a = Number(op.offset >> 12n);
    const b = Number((op.offset + op.length) >> 12n);
    const sure = sureStop(map, ino.sizePages - map.pgoff, a, b);
    const end = sure?.at ?? b;
    const sureOutcome = (): Outcome => (sure === undefined ? ok({ count: (b - a) * PAGE }) : end > a ? err('EAGAIN') : err(sure.errno));
    const q = firstMaybe(map, a, end);
    if (q === undefined) return andThen(sureOutcome(), () => withMap(s, op.map, poisoned(map, a, end)), [ufd22Fact]);
    // The maybe-page refused: [a, q) poisoned; or it did not, and a later one (or the sure end) stopped the walk.
    const atQ = andThen(q > a ? err('EAGAIN') : err('EEXIST'), () => withMap(s, op.map, poisoned(map, a, q)), [ufd22Fact]);
    // A later stop leaves the pages after q perhaps poisoned; the whole range done leaves them all poisoned.
    const later = (): SpecState => {
      const m = poisoned(map, a, q + 1);
      return withMap(s, op.map, q + 1 < end ? { ...m, poison: imUpdate(m.poison ?? null, q + 1, end, (v) => v ?? 'maybe') } : m);
    };
    const pairs: (readonly [Outcome, () => SpecState])[] = sure === undefined
      ? [[sureOutcome(), () => withMap(s, op.map, poisoned(map, a, end))], ...(end > q + 1 ? [[err('EAGAIN'), later] as const] : [])]
      : [[sureOutcome(), later]];
    const after = cases(pairs, POISON_LOOSE, [ufd22Fact]);
    return eitherOf(atQ, after, POISON_LOOSE);
  },
});

export const poisonPre = [poisonDeadMap, poisonDead, ufd22Mode, poisonRange] as const;
export const poisonChain = [poisonNotShmem, ufd22] as const;

const uffdPoison = (p: Profile, s: SpecState, op: OpOf<'uffdPoison'>): Verdict<SpecState> => onMap({ p, s, op }, poisonPre, op.map, poisonChain);

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = { uffdPoison } satisfies Steps;

/** Poison state to carry into a forked child (shared VMAs are not copied: no marker; private: copied). */
export const childPoison = (m: Mapping): IMap<true | 'maybe'> | undefined => (m.shared ? undefined : m.poison);
