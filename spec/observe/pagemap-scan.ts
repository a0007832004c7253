/**
 * PAGEMAP_SCAN on /proc/self/pagemap (MAP-40; docs/kernel-surface.md J06), the part without
 * write-protection: the kernel validates the argument structure, walks the VMAs of the range and
 * gives each page its categories — the VMA's (WPALLOWED in an async-WP registered range,
 * SOFT_DIRTY with CONFIG_MEM_SOFT_DIRTY) and the PTE's — keeps the pages the category masks select
 * and writes them out as regions of equal (categories & return_mask), merged while contiguous.
 * The write-protecting flags (PM_SCAN_WP_MATCHING, PM_SCAN_CHECK_WPASYNC): a range without
 * async-WP registration is skipped or EPERM (MAP-40); over an async-WP range (UFD-21) a page is
 * WRITTEN unless it carries the uffd-wp bit or marker the spec tracks (Mapping.wp, UFD-20), and
 * WP_MATCHING gives the bit back to every page it output.
 */
import { err, ok, PAGE_IS, PM_SCAN_ARG_SIZE, PM_SCAN_FLAG, UFFD_FEATURE, UFFD_MODE, type Outcome, type OpOf } from '../vocab/index.js';
import { cases, fact, only, rule, type Decision } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { imGet } from '../state/imap.js';
import type { Mapping, SpecState } from '../state/types.js';
import { deadMap } from '../lifetime/handles.js';
import { genFaultAround, maybeMapped } from '../mmap/fault-around.js';
import { guarded } from '../mmap/guard.js';
import { poisonAt } from '../uffd/poison.js';
import { withWp, wpAt } from '../uffd/writeprotect.js';
import { withMap } from '../state/update.js';
import { onMap, type Steps } from '../run.js';

type S = OpOf<'pagemapScan'>;

export const scanDead = deadMap<Ctx<'pagemapScan'>>('EFAULT');

const CATEGORIES = Object.values(PAGE_IS).reduce((a, b) => a | b, 0n);
const FLAGS = PM_SCAN_FLAG.WP_MATCHING | PM_SCAN_FLAG.CHECK_WPASYNC;
const PAGE = 4096n;
/** The top of the user address space with 5-level paging (access_ok's limit is at most this). */
const TOP_LA57 = (1n << 56n) - PAGE;
/** sizeof(struct page_region). */
const REGION = 24n;

/**
 * MAP-40, the argument checks of pagemap_scan_get_args in order: size ≠ 96 → EINVAL; a flag bit
 * outside WP_MATCHING|CHECK_WPASYNC (bit 2, 31, 32, 63) → EINVAL; a bit above GUARD (0x100) in any
 * of the four category words → EINVAL; an unaligned start → EINVAL; a range access_ok refuses →
 * EFAULT (an address outside the mapping may lie past the top of the address space: the spec
 * does not know where the mapping is, so both there); vec NULL with vec_len > 0 → EINVAL; a
 * vec_len whose 24-byte regions access_ok refuses → EFAULT (the buffer's address is the target's:
 * certain past 2^47 bytes, free of doubt up to 2^32).
 */
export const map40Args = rule<Ctx<'pagemapScan'>>({
  id: 'MAP-40',
  cite: 'MAP-40; fs/proc/task_mmu.c pagemap_scan_get_args (size != sizeof(struct pm_scan_arg), flags & ~PM_SCAN_FLAGS, categories & ~PM_SCAN_CATEGORIES, !IS_ALIGNED(start), access_ok(start, end - start), !vec && vec_len, access_ok(vec, size_mul(vec_len, sizeof(struct page_region)))), v7.2',
  decide: ({ s, op }) => {
    if (op.size !== PM_SCAN_ARG_SIZE) return only(s, err('EINVAL'));
    if ((op.flags & ~FLAGS) !== 0n) return only(s, err('EINVAL'));
    if (((op.categoryInverted | op.categoryMask | op.categoryAnyof | op.returnMask) & ~CATEGORIES) !== 0n) return only(s, err('EINVAL'));
    if ((op.offset & (PAGE - 1n)) !== 0n) return only(s, err('EINVAL'));
    if (op.offset >= TOP_LA57 || op.offset <= -TOP_LA57) return only(s, err('EFAULT'));
    return undefined;
  },
});

/** The answers after the start checks: EFAULT where the start is outside the mapping (maybe past the top), then the vec checks. */
const tailChecks = (op: S, pages: bigint): { readonly errs: Outcome[]; readonly goOn: boolean } => {
  const errs: Outcome[] = [];
  if (op.offset < 0n || op.offset >= pages) errs.push(err('EFAULT'));
  if (op.vecNull && op.vecLen > 0n) return { errs: [...errs, err('EINVAL')], goOn: false };
  const bytes = op.vecNull ? 0n : op.vecLen * REGION;
  if (bytes >= 1n << 47n) return { errs: [...errs, err('EFAULT')], goOn: false };
  if (bytes > 1n << 32n) errs.push(err('EFAULT'));
  return { errs, goOn: true };
};

const wpAsync = (s: SpecState, map: Mapping, mp: number): boolean[] => {
  const r = imGet(map.uffd, mp);
  if (r === undefined || (r.mode & UFFD_MODE.WP) === 0n) return [false];
  const ctx = s.uffds.get(r.uffd);
  return ctx === undefined ? [false, true] : [(ctx.features & UFFD_FEATURE.WP_ASYNC) !== 0n];
};
const wpRegistered = (map: Mapping, mp: number): boolean => ((imGet(map.uffd, mp)?.mode ?? 0n) & UFFD_MODE.WP) !== 0n;

/**
 * The categories map page mp may have (VMA's and PTE's, without soft-dirty). A present page-cache
 * PTE: PRESENT|WRITTEN|FILE; a private COW copy: PRESENT|WRITTEN (anonymous); a guard marker:
 * SWAPPED|WRITTEN|GUARD; no PTE: WRITTEN where a page table covers the page (pte_none), nothing
 * where none does (a hole of the walk) — which, the spec does not know (the PMD's other pages, and
 * CONFIG_PT_RECLAIM freeing empty tables). In a WP-registered range a present PTE may carry the
 * uffd-wp bit (no WRITTEN), an empty one may hold a uffd-wp marker (SWAPPED), and a hole is
 * WRITTEN (userfaultfd_wp(vma)).
 */
const pageCats = (map: Mapping, mp: number): bigint[] => {
  // UFD-22: a poison marker is a non-present marker without the uffd-wp bit: SWAPPED|WRITTEN.
  const pz = poisonAt(map, mp);
  // UFD-21: WP_MATCHING may have set the marker's uffd-wp bit (make_uffd_wp_pte); the spec keeps that open.
  if (pz === true) return wpAt(map, mp) === undefined ? [PAGE_IS.SWAPPED | PAGE_IS.WRITTEN] : [PAGE_IS.SWAPPED | PAGE_IS.WRITTEN, PAGE_IS.SWAPPED];
  const rest = pageCatsUnpoisoned(map, mp);
  return pz === 'maybe' && !rest.includes(PAGE_IS.SWAPPED | PAGE_IS.WRITTEN) ? [...rest, PAGE_IS.SWAPPED | PAGE_IS.WRITTEN] : rest;
};

const pageCatsUnpoisoned = (map: Mapping, mp: number): bigint[] => {
  const W = PAGE_IS.WRITTEN;
  // UFD-21: the PTE's uffd-wp bit (or marker) is what takes WRITTEN away, whatever the VMA's registration now is (a stale bit too).
  const w = wpAt(map, mp);
  const drop = (c: bigint): bigint[] => (w === undefined ? [c] : w === true ? [c & ~W] : [c, c & ~W]);
  if (guarded(map, mp)) return drop(PAGE_IS.SWAPPED | W | PAGE_IS.GUARD);
  if (imGet(map.cow, mp) !== undefined) return drop(PAGE_IS.PRESENT | W);
  const present = drop(PAGE_IS.PRESENT | W | PAGE_IS.FILE);
  if (imGet(map.ptes, mp) !== undefined) return present;
  // No PTE: a uffd-wp marker is SWAPPED; none is WRITTEN, where a page table covers it or the VMA is WP-registered (pte_hole: userfaultfd_wp(vma)), else nothing.
  const marker = w === undefined ? [] : [PAGE_IS.SWAPPED];
  const none = w === true ? [] : wpRegistered(map, mp) ? [W] : [0n, W];
  const empty = [...none, ...marker];
  return maybeMapped(map, mp) ? [...present, ...empty] : empty;
};

/** One page of the range: map-relative start, and its possible categories (null: no VMA there). */
interface Slot { readonly at: bigint; readonly cats: readonly bigint[] | null; readonly wpOk: readonly boolean[] }

/**
 * A walk in progress: the regions so far, the pages they hold and the pages PM_SCAN_WP_MATCHING
 * write-protected (map page, and whether surely), or its answer once it stopped.
 */
interface Walk { readonly regions: readonly (readonly [bigint, bigint, number])[]; readonly found: bigint; readonly wp: readonly (readonly [number, boolean])[]; readonly done?: Outcome }

/**
 * One page of the walk, as pagemap_scan_pmd_entry / pagemap_scan_pte_hole and pagemap_scan_output
 * do it: CHECK_WPASYNC on a page of a VMA without async WP → EPERM; WP_MATCHING alone skips such a
 * VMA; filter; push (cats & return_mask) into the last region when contiguous and equal, else into
 * a new one while fewer than vec_len exist; max_pages caps the pages; a stop sets walk_end to where
 * it stopped. UFD-21: under WP_MATCHING a page it pushed gets the uffd-wp bit (or a marker) —
 * already had it when it was not WRITTEN; with no region buffer (vec_len 0) the fast path marks
 * every page of a page table whatever its categories, a hole only when it matches.
 */
const stepWalk = (op: S, w: Walk, at: bigint, cats: bigint, wp: boolean): Walk => {
  if (!wp && (op.flags & PM_SCAN_FLAG.CHECK_WPASYNC) !== 0n) return { ...w, done: err('EPERM') };
  if (!wp && (op.flags & PM_SCAN_FLAG.WP_MATCHING) !== 0n) return w;
  const protect = wp && (op.flags & PM_SCAN_FLAG.WP_MATCHING) !== 0n;
  const mp = Number(at >> 12n);
  const marked = (sure: boolean): Walk['wp'] => (protect ? [...w.wp, [mp, sure]] : w.wp);
  const cap = op.vecNull ? 0n : op.vecLen;
  const c = cats ^ op.categoryInverted;
  const hit = (c & op.categoryMask) === op.categoryMask && (op.categoryAnyof === 0n || (c & op.categoryAnyof) !== 0n);
  if (cap === 0n) return { ...w, wp: marked(hit) };
  if (!hit) return w;
  if (op.maxPages !== 0n && w.found + 1n > op.maxPages) return { ...w, done: ok({ regions: w.regions.map((r) => [...r]), walkEnd: at }) };
  const out = Number(cats & op.returnMask);
  const last = w.regions[w.regions.length - 1];
  if (last !== undefined && last[1] === at && last[2] === out) return { regions: [...w.regions.slice(0, -1), [last[0], at + PAGE, out]], found: w.found + 1n, wp: marked(true) };
  if (BigInt(w.regions.length) < cap) return { regions: [...w.regions, [at, at + PAGE, out]], found: w.found + 1n, wp: marked(true) };
  return { ...w, done: ok({ regions: w.regions.map((r) => [...r]), walkEnd: at }) };
};

/**
 * UFD-21: the state after the walks that gave one answer: a page every such walk write-protected
 * surely carries the uffd-wp bit; one some walk may have marked perhaps does (a page that had it keeps it).
 */
const protectAfter = (s: SpecState, id: number, map: Mapping, ws: readonly Walk[]): SpecState => {
  const seen = new Map<number, number>();
  for (const w of ws) for (const [mp, sure] of w.wp) if (sure) seen.set(mp, (seen.get(mp) ?? 0) + 1); else if (!seen.has(mp)) seen.set(mp, 0);
  if (seen.size === 0) return s;
  let m = map;
  // A poison marker's uffd-wp bit is not modelled elsewhere (pagemap, UFFDIO_WRITEPROTECT skip it): kept open.
  for (const [mp, n] of seen) if (wpAt(m, mp) !== true) m = withWp(m, mp, mp + 1, n === ws.length && poisonAt(m, mp) === undefined ? true : 'maybe');
  return withMap(s, id, m);
};

const big = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? `${v}n` : v);
const walkKey = (w: Walk): string => `${w.done !== undefined ? JSON.stringify(w.done, big) : `${JSON.stringify(w.regions, big)}/${w.found}`}/${JSON.stringify(w.wp)}`;

/**
 * MAP-40: the answer for every combination the pages' possible categories allow (at most 5 pages:
 * the op's bound), soft-dirty on every page or on none (CONFIG_MEM_SOFT_DIRTY: a new VMA carries
 * VM_SOFTDIRTY and nothing in the vocabulary clears it).
 */
export const map40 = rule<MapCtx<'pagemapScan'>>({
  id: 'MAP-40',
  cite: 'MAP-40; fs/proc/task_mmu.c do_pagemap_scan, pagemap_scan_test_walk (CHECK_WPASYNC: EPERM, WP_MATCHING: skip a VMA without async WP; VM_SOFTDIRTY), pagemap_page_category (pte_none: WRITTEN; present: PRESENT, WRITTEN unless uffd-wp, FILE unless anon; swap/marker: SWAPPED, GUARD), pagemap_scan_pte_hole (the VMA category; WRITTEN in a uffd-wp VMA), pagemap_scan_is_interesting_page, pagemap_scan_output, pagemap_scan_push_range, v7.2; measured on 6.18.44 (memfd: pte_none WRITTEN, a 2 MiB region without a page table 0, guard 0x112)',
  decide: ({ s, op, map }): Decision => {
    const pages = BigInt(map.pages) * PAGE;
    const { errs, goOn } = tailChecks(op, pages);
    if (!goOn) return errs.length === 1 ? only(s, errs[0]!) : cases(errs.map((o) => [o, () => s] as const), 'MAP-40: access_ok of the start or the region buffer depends on addresses the spec does not know');
    // The start is page-aligned here; the kernel rounds the end up (ALIGN). Rounded as a length: a bigint division truncates toward zero.
    const end = op.offset + ((BigInt(op.pages) * PAGE + BigInt(op.endExtra) + PAGE - 1n) / PAGE) * PAGE;
    const slots: Slot[] = [];
    let uncertain = false;
    for (let at = op.offset; at < end; at += PAGE) {
      if (at < 0n || at >= pages) { slots.push({ at, cats: null, wpOk: [false] }); continue; }
      const mp = Number(at >> 12n);
      const cats = pageCats(map, mp);
      if (maybeMapped(map, mp) && imGet(map.ptes, mp) === undefined) uncertain = true;
      slots.push({ at, cats, wpOk: wpAsync(s, map, mp) });
    }
    const outs = new Map<string, { readonly o: Outcome; readonly ws: Walk[] }>();
    for (const o of errs) outs.set(JSON.stringify(o), { o, ws: [] });
    // Page by page over every state the walk may be in (deduplicated, so the choices do not multiply).
    for (const sd of [0n, PAGE_IS.SOFT_DIRTY]) {
      let walks = new Map<string, Walk>([['', { regions: [], found: 0n, wp: [] }]]);
      for (const sl of slots) {
        if (sl.cats === null) continue;
        const next = new Map<string, Walk>();
        for (const w of walks.values()) {
          if (w.done !== undefined) { next.set(walkKey(w), w); continue; }
          for (const c of sl.cats) {
            for (const wp of sl.wpOk) {
              const v = stepWalk(op, w, sl.at, c | sd | (wp ? PAGE_IS.WPALLOWED : 0n), wp);
              next.set(walkKey(v), v);
            }
          }
        }
        walks = next;
      }
      for (const w of walks.values()) {
        const o = w.done ?? ok({ regions: w.regions.map((r) => [...r]), walkEnd: end });
        const k = JSON.stringify(o, big);
        const had = outs.get(k);
        if (had === undefined) outs.set(k, { o, ws: [w] }); else had.ws.push(w);
      }
    }
    const all = [...outs.values()];
    const after = (ws: readonly Walk[]) => (): SpecState => (ws.length === 0 ? s : protectAfter(s, op.map, map, ws));
    const wpMatching = (op.flags & PM_SCAN_FLAG.WP_MATCHING) !== 0n && all.some((x) => x.ws.some((w) => w.wp.length > 0));
    const also = [...(uncertain ? [genFaultAround] : []), ...(wpMatching ? [ufd21Fact] : [])];
    if (all.length === 1) return only(after(all[0]!.ws)(), all[0]!.o, also);
    return cases(all.map((x) => [x.o, after(x.ws)] as const), 'MAP-40: whether a page table covers an empty page (WRITTEN or nothing), CONFIG_MEM_SOFT_DIRTY, fault-around and uffd-wp bits in a WP range are not the sequence\'s to fix', also);
  },
});

/** UFD-21: PM_SCAN_WP_MATCHING write-protected pages of an async-WP range. */
export const ufd21Fact = fact('UFD-21', 'UFD-21; fs/proc/task_mmu.c pagemap_scan_pmd_entry (WP_MATCHING: make_uffd_wp_pte on each WRITTEN page it output; vec_len 0: every PTE of the table), pagemap_scan_pte_hole (uffd_wp_range over the output hole), pagemap_scan_test_walk (userfaultfd_wp_async && userfaultfd_wp_use_markers: WPALLOWED), v7.2; measured on 6.18.44 memfd');

export const scanPre = [scanDead, map40Args] as const;
export const scanChain = [map40] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  pagemapScan: (p, s, o: OpOf<'pagemapScan'>) => onMap({ p, s, op: o }, scanPre, o.map, scanChain),
} satisfies Steps;
