/**
 * madvise on a mapping: generic argument checks and hole handling (GEN-MADVISE), an advice no
 * kernel knows (MAP-27), then the advice, VMA by VMA: an mlocked part refuses the discarding and
 * reclaiming advices (MAP-28); DONTNEED (and DONTNEED_LOCKED) drops PTEs only (MAP-14), REMOVE is a
 * punch (MAP-7), COLLAPSE is refused and HUGEPAGE is a no-op (MAP-8, LVL-5), POPULATE_* fault in
 * through GUP (MAP-9, MAP-15), FREE and WIPEONFORK are for anonymous memory only (MAP-16), and the
 * rest only change VMA flags nothing here observes (MAP-27).
 */
import { zapPoison } from '../uffd/poison.js';
import { err, ok, type Outcome } from '../vocab/index.js';
import { cases, fact, only, rule, andThen, type Decision } from '../rule.js';
import { P, aligned, wrapsU64, type Ctx, type MapCtx } from '../ctx.js';
import { EMPTY, imEach, imFind, imGet, imSet, imUpdate } from '../state/imap.js';
import { folio } from '../state/folio.js';
import { withInode, withMap } from '../state/update.js';
import type { SpecState } from '../state/types.js';
import { punchPages } from '../fileops/falloc-effect.js';
import { deadMap } from '../lifetime/handles.js';
import { faultAroundAtEof, gupEither, gupFaultIn, gupStop, type GupStop } from './gup.js';
import { cowRange } from './page-io.js';
import { otherMappers } from './fault-around.js';
import { advisedAfter } from '../observe/vma-flags.js';
import { map30Install, map30Remove } from './guard.js';
import { eitherVerdict, must, onMap, type Steps } from '../run.js';
import type { Verdict } from '../verdict.js';
import type { OpOf, Profile } from '../vocab/index.js';

type M = MapCtx<'madvise'>;

/** The advice values no kernel knows (madvise_behavior_valid). */
const UNKNOWN_ADVICE: ReadonlySet<string> = new Set(['UNKNOWN_5', 'UNKNOWN_26', 'UNKNOWN_104', 'UNKNOWN_BIT31']);
export const map27Fact = fact('MAP-27', 'MAP-27; mm/madvise.c madvise_behavior_valid, madvise_vma_behavior, v7.2');

export const madviseArgs = rule<Ctx<'madvise'>>({
  id: 'GEN-MADVISE',
  cite: 'mm/madvise.c do_madvise, madvise_should_skip (unaligned start or an unknown advice EINVAL, zero length 0, unmapped ENOMEM), v7.2',
  decide: ({ s, op }) => {
    if (!aligned(op.offset) || op.offset < 0n) return only(s, err('EINVAL'));
    // An unknown advice is EINVAL before the length is looked at (even 0) and before any VMA.
    if (UNKNOWN_ADVICE.has(op.advice)) return only(s, err('EINVAL'), [map27Fact]);
    const wrap = wrapsU64(op.offset, op.length);
    if (wrap === 'yes') return only(s, err('EINVAL'));
    // 'maybe': the handler below allows EINVAL besides whatever the range does when it does not wrap.
    if (op.length <= 0n) return op.length === 0n ? only(s, ok()) : only(s, err('EINVAL'));
    return s.maps.has(op.map) ? undefined : only(s, err('ENOMEM'));
  },
});
export const madviseDead = deadMap<Ctx<'madvise'>>('EFAULT');
export const madvisePre = [madviseDead, madviseArgs] as const;

/** [a, b) in map pages, clipped to the mapping; `holes` when the range runs past its end. */
const span = (c: M) => {
  const a = Number(c.op.offset >> 12n);
  const want = Number((c.op.offset + c.op.length + P - 1n) >> 12n);
  const b = Math.min(want, c.map.pages);
  return { a: Math.min(a, b), b, holes: want > c.map.pages };
};
const result = (holes: boolean): Outcome => (holes ? err('ENOMEM') : ok());

/** MAP-14: DONTNEED zaps this mapping's PTEs (and private copies); nothing is freed. */
export const map14 = rule<M>({
  id: 'MAP-14',
  cite: 'MAP-14; S3 test_collapse (DONTNEED + re-fault) (obs:HF-09)',
  decide: (c) => {
    if (c.op.advice !== 'DONTNEED' && c.op.advice !== 'DONTNEED_LOCKED') return undefined;
    const { a, b, holes } = span(c);
    // The zap takes poison markers too (zap_nonpresent_ptes: details NULL, UFD-22).
    return andThen(result(holes), () => withMap(c.s, c.op.map, zapPoison({ ...c.map, ptes: imSet(c.map.ptes, a, b, undefined), around: imSet(c.map.around, a, b, undefined), cow: imSet(c.map.cow, a, b, undefined) }, a, b)));
  },
});

/**
 * A range that starts past the end of the mapping meets no VMA: madvise_walk_vmas answers ENOMEM
 * before any advice-specific check (the space after a mapping is unmapped, spec/vocab/CONVENTIONS.md).
 * A range that starts inside it is checked against that VMA first (e.g. REMOVE on a private one).
 */
export const madviseUnmapped = rule<M>({
  id: 'GEN-MADVISE',
  cite: 'mm/madvise.c madvise_walk_vmas (no VMA in the range: ENOMEM)',
  decide: (c) => (c.op.offset >> 12n >= BigInt(c.map.pages) ? only(c.s, err('ENOMEM')) : undefined),
});

export const genMadvise = fact('GEN-MADVISE', 'mm/madvise.c madvise_remove (needs a shared writable-capable VMA, EACCES otherwise)');
/** MAP-7: REMOVE punches the file range through vfs_fallocate(PUNCH_HOLE|KEEP_SIZE). */
export const map7 = rule<M>({
  id: 'MAP-7',
  cite: 'MAP-7; mm/madvise.c madvise_remove (obs:HF-10)',
  decide: (c) => {
    if (c.op.advice !== 'REMOVE') return undefined;
    if (!c.map.shared) return only(c.s, err('EACCES'), [genMadvise]);
    const { a, b, holes } = span(c);
    // madvise_remove punches the file range behind the VMA as it is. guest_memfd has no pages past
    // EOF to lose; shmem can (fallocate KEEP_SIZE allocates past EOF) and punches them too
    // (shmem_fallocate does not clip at i_size; measured on 6.18).
    const end = c.ino.kind === 'memfd' ? Number.MAX_SAFE_INTEGER : c.ino.sizePages;
    const fa = Math.min(c.map.pgoff + a, end);
    const fb = Math.min(c.map.pgoff + b, end);
    return andThen(result(holes), () => punchPages(c.s, c.ino, fa, fb));
  },
});

export const lvl5 = fact('LVL-5', 'LVL-5 (host mappings stay order-0)');
export const shmemCollapse = fact('GEN-SHMEM-COLLAPSE', 'mm/khugepaged.c madvise_collapse; mm/shmem.c shmem_allowable_huge_orders');
/** MAP-8: COLLAPSE on gmem → EINVAL (THP denied for anon-inode files); HUGEPAGE accepted, no effect. */
export const map8 = rule<M>({
  id: 'MAP-8',
  cite: 'MAP-8, §4 P-THP-COLLAPSE; S19; S3 test_collapse (obs:MM-51, MM-63)',
  decide: (c) => {
    const { a, b, holes } = span(c);
    if (c.op.advice === 'HUGEPAGE') {
      const next = () => withMap(c.s, c.op.map, advisedAfter(c.map, 'HUGEPAGE', a, b));
      return a < b ? andThen(result(holes), next, [lvl5]) : only(c.s, result(holes), [lvl5]);
    }
    if (c.op.advice !== 'COLLAPSE') return undefined;
    // Nothing of the range is mapped: the walk finds no VMA (ENOMEM) before any THP check.
    if (a >= b) return only(c.s, err('ENOMEM'));
    if (c.ino.kind === 'gmem' && c.p.variants.thpCollapse === 'EINVAL') return only(c.s, err('EINVAL'), [lvl5]);
    const loose = c.ino.kind === 'memfd' ? 'GEN-SHMEM-COLLAPSE: depends on the shmem THP sysctl' : 'P-THP-COLLAPSE UNPATCHED: collapse may build a large folio';
    const done = c.ino.kind === 'memfd' ? () => c.s : () => maybeCollapsed(c, a, b);
    return cases([[result(holes), done], [err('EINVAL'), () => c.s], [err('EAGAIN'), () => c.s]], loose, c.ino.kind === 'memfd' ? [shmemCollapse] : [lvl5]);
  },
});

/**
 * After an unpatched collapse reported success: every resident page of the range may now be part
 * of a large folio (S19), and the collapsing mapping's PTEs are gone (collapse retracts the page
 * tables to map the PMD). Whether a folio was really built shows only at the next fault.
 */
const maybeCollapsed = (c: M, a: number, b: number): SpecState => {
  const fa = c.map.pgoff + a;
  const fb = c.map.pgoff + b;
  const folios = imUpdate(c.ino.folios, fa, fb, (f) => (f?.uptodate ? folio(true, f.dmapGone, true) : f));
  const out = folios === c.ino.folios ? c.s : withInode(c.s, { ...c.ino, folios });
  return withMap(out, c.op.map, { ...c.map, ptes: imSet(c.map.ptes, a, b, undefined), around: imSet(c.map.around, a, b, undefined) });
};

export const map15 = fact('MAP-15', 'MAP-15 (populate succeeds on shared ranges, errors elsewhere)');
/** MAP-9: POPULATE_* fault pages in until GUP stops; a refused page → EFAULT, the VMA end → ENOMEM. */
export const map9Populate = rule<M>({
  id: 'MAP-9',
  cite: 'MAP-9, MAP-15; mm/madvise.c madvise_populate (obs:HF-57/58, GUP-P-*)',
  decide: (c): Decision | undefined => {
    if (c.op.advice !== 'POPULATE_READ' && c.op.advice !== 'POPULATE_WRITE') return undefined;
    const { a, b, holes } = span(c);
    if (a >= b) return only(c.s, err('ENOMEM'));
    const write = c.op.advice === 'POPULATE_WRITE';
    const populated = (g: GupStop): Decision => {
      const next = (): SpecState => {
        const faulted = faultAroundAtEof(gupFaultIn(c.s, c.op.map, a, g.stop, 'gup', !write), c.op.map, g, b, !write);
        return write ? cowRange(faulted, c.op.map, a, g.stop) : faulted;
      };
      const also = g.why === null ? [map15] : [g.why, map15];
      // MAP-29 at a later VMA (a partial mprotect, MAP-19): the pages before it were populated,
      // then the next faultin_page_range starts at the refused VMA: EINVAL.
      if (g.kind === 'fault') {
        // UFD-22: madvise_populate's GUP carries FOLL_HWPOISON, so a poison marker is EHWPOISON (mm/gup.c faultin_page_range, v7.2; measured on 6.18.44 memfd).
        return andThen(err(g.why?.id === 'GEN-GUP-PROT' ? 'EINVAL' : g.why?.id === 'UFD-22' ? 'EHWPOISON' : 'EFAULT'), next, also);
      }
      return andThen(result(holes || g.kind === 'vma'), next, also);
    };
    return gupEither(gupStop(c.p, c.s, c.map, a, b, write), populated);
  },
});
/**
 * MAP-29: with FOLL_MADV_POPULATE, __get_user_pages looks the VMA up itself and turns a
 * check_vma_flags refusal (PROT_NONE, a read without VM_READ, a write without VM_WRITE, an ndm
 * file refused like secretmem) into EINVAL before any page is faulted; a failing fault on a
 * permitted VMA stays EFAULT (MAP-9).
 */
export const map29Populate = rule<M>({
  id: 'MAP-29',
  cite: 'MAP-29; mm/gup.c __get_user_pages (FOLL_MADV_POPULATE: vma_lookup, check_vma_flags failure → -EINVAL), check_vma_flags, faultin_page_range; mm/madvise.c madvise_populate, v7.2; measured on 6.18.44 memfd: PROT_NONE, PROT_WRITE-only read, PROT_READ write → EINVAL',
  decide: (c) => {
    if (c.op.advice !== 'POPULATE_READ' && c.op.advice !== 'POPULATE_WRITE') return undefined;
    const { a, b } = span(c);
    if (a >= b) return undefined;
    const g = gupStop(c.p, c.s, c.map, a, b, c.op.advice === 'POPULATE_WRITE');
    const refused = g.kind === 'fault' && g.stop === a && (g.why?.id === 'GEN-GUP-PROT' || g.why?.id === 'DMAP-5');
    return refused ? only(c.s, err('EINVAL'), g.why === null ? [] : [g.why]) : undefined;
  },
});
/** The advices an mlocked VMA refuses (madvise_dontneed_free_valid_vma, madvise_remove, can_madv_lru_vma, is_valid_guard_vma). */
const REFUSED_LOCKED: ReadonlySet<string> = new Set(['DONTNEED', 'FREE', 'REMOVE', 'COLD', 'PAGEOUT']);

/**
 * MAP-28: the walk meets the VMAs in address order; the first mlocked one in the range refuses
 * these advices (EINVAL) after the parts before it were advised: what those parts got is the
 * advice's own effect (DONTNEED zaps them; REMOVE punches them; FREE fails at once on any file VMA).
 */
export const map28 = rule<M>({
  id: 'MAP-28',
  cite: 'MAP-28; mm/madvise.c madvise_walk_vmas, madvise_dontneed_free_valid_vma (VM_LOCKED unless DONTNEED_LOCKED), madvise_remove (VM_LOCKED → EINVAL), can_madv_lru_vma (COLD, PAGEOUT), v7.2',
  decide: (c) => {
    if (!REFUSED_LOCKED.has(c.op.advice)) return undefined;
    const { a, b } = span(c);
    const at = imFind(c.map.locked, a, b, (v) => v !== undefined);
    if (at === undefined) return undefined;
    if (at === a || c.op.advice === 'FREE' || c.op.advice === 'COLD' || c.op.advice === 'PAGEOUT') return only(c.s, err('EINVAL'));
    // The unlocked part before the locked VMA gets the advice (DONTNEED, REMOVE), then EINVAL.
    const before = { ...c, op: { ...c.op, length: BigInt(at - a) * P } };
    const d = (c.op.advice === 'DONTNEED' ? map14 : map7).decide?.(before);
    if (d === undefined) return only(c.s, err('EINVAL'));
    // The earlier VMA's own error wins (REMOVE on a private one: EACCES, found by the native run).
    if (d.allowed.some((o) => o.kind !== 'ok')) return d;
    return andThen(err('EINVAL'), () => d.next(d.allowed[0]!), d.also);
  },
});

export const map16Fact = fact('MAP-16', 'MAP-16; mm/madvise.c madvise_free_single_vma (!vma_is_anonymous → EINVAL), madvise_vma_behavior MADV_WIPEONFORK (vm_file or VM_SHARED → EINVAL), v7.2');
/** MAP-16: FREE and WIPEONFORK are for anonymous private memory: EINVAL on any file VMA. */
export const map16 = rule<M>({
  id: 'MAP-16',
  cite: 'MAP-16; mm/madvise.c madvise_free_single_vma, madvise_vma_behavior (MADV_WIPEONFORK), v7.2; obs:finding 6',
  decide: (c) => (c.op.advice === 'FREE' || c.op.advice === 'WIPEONFORK' ? only(c.s, err('EINVAL'), [map16Fact]) : undefined),
});

/** The advices that change only VMA flags (or hints) nothing in the vocabulary observes. */
const ADVISORY: ReadonlySet<string> = new Set(['NORMAL', 'RANDOM', 'SEQUENTIAL', 'WILLNEED', 'DONTFORK', 'DOFORK', 'MERGEABLE', 'UNMERGEABLE',
  'NOHUGEPAGE', 'DONTDUMP', 'DODUMP', 'KEEPONFORK', 'COLD', 'PAGEOUT']);
/**
 * MAP-27: advisory values succeed (holes: ENOMEM after the mapped part) and leave data and
 * residency as they were: WILLNEED allocates nothing (a noop bdi, or shmem's swap-in only),
 * MERGEABLE is ignored on a shared VMA and only registers the mm with KSM on a private one (a
 * merged COW page keeps its bytes), COLD/PAGEOUT deactivate or try to reclaim: gmem folios are
 * unevictable, and without swap a shmem folio stays in the page cache.
 */
export const map27 = rule<M>({
  id: 'MAP-27',
  cite: 'MAP-27; mm/madvise.c madvise_vma_behavior, madvise_willneed, madvise_cold, madvise_pageout; mm/vmscan.c shrink_folio_list (an unevictable folio is kept before try_to_unmap; a file folio is unmapped, then kept in the page cache when it cannot be written out); mm/ksm.c ksm_madvise; mm/fadvise.c generic_fadvise (noop bdi), v7.2',
  decide: (c) => {
    if (!ADVISORY.has(c.op.advice)) return undefined;
    const { a, b, holes } = span(c);
    if (c.op.advice !== 'PAGEOUT' || c.ino.kind !== 'memfd' || a >= b) {
      // The VMA-flag advices set their flag on the mapped part (smaps VmFlags, MAP-38).
      const flagged = advisedAfter(c.map, c.op.advice, a, b);
      return flagged === c.map ? only(c.s, result(holes), [map27Fact]) : andThen(result(holes), () => withMap(c.s, c.op.map, flagged), [map27Fact]);
    }
    // shmem: madvise_pageout drains the LRU batches, isolates each mapped page-cache folio, and
    // reclaim unmaps it (try_to_unmap) before it finds it cannot write it out without swap and
    // keeps it: the data stays, the PTEs go (found by the native run: a MINOR userfault after
    // PAGEOUT, obs:MM-A-02). A private mapping's copies keep theirs: without swap an anonymous
    // folio is kept before the unmap. (A folio reclaim could not isolate — locked, migrating —
    // keeps its PTE; the spec does not model that race.) A page fault-around may have mapped
    // (GEN-FAULT-AROUND) is a mapped page-cache folio too: it is unmapped the same way.
    // Only a folio this PTE alone maps is touched (madvise_cold_or_pageout_pte_range: "do not
    // interfere with other mappings", folio_mapcount != folio_nr_pages → skip; found by a native
    // run on 6.18.44: a page mapped by two mappings kept its PTE). Where another mapping's
    // fault-around may have mapped it, the PTE may stay: it becomes a maybe-PTE (`around`).
    const fate = (mp: number): 'drop' | 'keep' | 'maybe' => {
      const [sure, maybe] = otherMappers(c.s, c.op.map, c.map.inode, c.map.pgoff + mp);
      return sure > 0 ? 'keep' : maybe > 0 ? 'maybe' : 'drop';
    };
    const next = (): SpecState => {
      let ptes = c.map.ptes;
      let around = c.map.around;
      // Page by page over the mapped pages only (PTEs exist for faulted pages, never a caller's length).
      imEach(c.map.ptes, a, b, (x, y, v) => {
        if (v !== true) return;
        imEach(c.map.cow, x, y, (u, w, cow) => {
          if (cow !== undefined) return;
          for (let q = u; q < w; q++) {
            const f = fate(q);
            if (f !== 'keep') ptes = imSet(ptes, q, q + 1, undefined);
            if (f === 'maybe') around = imSet(around, q, q + 1, true);
          }
        });
      });
      imEach(c.map.around, a, b, (x, y, v) => {
        if (v === true) for (let q = x; q < y; q++) if (imGet(c.map.ptes, q) === undefined && fate(q) === 'drop') around = imSet(around, q, q + 1, undefined);
      });
      return withMap(c.s, c.op.map, { ...c.map, ptes, around });
    };
    return andThen(result(holes), next, [map27Fact]);
  },
});
export const madviseMapChain = [madviseUnmapped, map30Install, map30Remove, map28, map16, map27, map14, map7, map8, map29Populate, map9Populate] as const;

/** start + len wraps past 2^64: EINVAL before any VMA is looked at. */
export const madviseWraps = rule<Ctx<'madvise'>>({
  id: 'GEN-MADVISE',
  cite: 'mm/madvise.c madvise_should_skip (end < start: EINVAL)',
  decide: ({ s }) => only(s, err('EINVAL')),
});

/**
 * Whether a range whose end lies within TASK_SIZE of 2^64 wraps depends on the mapping's address:
 * if it wraps, EINVAL; if not, madvise walks the VMAs from start, applies the advice to the mapped
 * part and answers ENOMEM for the hole after it — the advice's effects included (a DONTNEED that
 * did not wrap zapped the mapping's PTEs). This allowed ENOMEM without the effects before, which
 * an emulator that applies the advice first disagreed with (found by the declaration-derived generator).
 */
const madvise = (p: Profile, s: SpecState, o: OpOf<'madvise'>): Verdict<SpecState> => {
  const full = onMap({ p, s, op: o }, madvisePre, o.map, madviseMapChain);
  const maybe = s.maps.has(o.map) && aligned(o.offset) && o.offset >= 0n && wrapsU64(o.offset, o.length) === 'maybe';
  return maybe ? eitherVerdict(must({ p, s, op: o }, [madviseWraps]), full, 'whether start+len wraps depends on the mapping address') : full;
};

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = { madvise } satisfies Steps;
