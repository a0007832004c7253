/**
 * /proc/kpageflags and /proc/kpagecount of the page a mapping maps at an offset (MAP-41;
 * docs/kernel-surface.md J07), the PFN taken from /proc/self/pagemap of that address. Which page
 * is there at all is MAP-39's (spec/observe/pagemap.ts): no present PTE → no PFN → ok null. What
 * the page's flags and mapcount say (fs/proc/page.c stable_page_flags, kpagecount_read, v6.18 and
 * v7.2):
 *
 * - a page-cache page of the file: UPTODATE (both fill a page before mapping it: shmem_get_folio_gfp,
 *   kvm_gmem_get_folio's callers), MMAP (folio_mapped), never ANON. SWAPBACKED on shmem (memfd:
 *   shmem_alloc_and_add_folio sets it) and never on guest_memfd, which has no swap. guest_memfd's
 *   mapping is unevictable (mapping_set_inaccessible sets AS_UNEVICTABLE too, include/linux/pagemap.h):
 *   a folio is put on an LRU list through the per-CPU add batch (folio_add_lru), and lru_add sets
 *   PG_unevictable as it lands there, so LRU without UNEVICTABLE never shows on gmem (before the
 *   batch drains neither shows; while isolated, UNEVICTABLE alone). On shmem every pair may show
 *   (an mlocked folio is UNEVICTABLE, and stays so after a munmap of its locked VMA until
 *   reclaim rescues it: measured on 6.18.44, obs:KST-07). THP never on gmem (order-0 folios, LVL-5); on
 *   shmem per the host's shmem THP knob, not modelled. The count is the page's mapcount: one per
 *   PTE mapping it (this mapping's, each other mapping's — MAP_PRIVATE ones too while they have no
 *   copy of the page).
 * - a MAP_PRIVATE copy: an anonymous page mapped once: UPTODATE, MMAP, ANON, SWAPBACKED, count 1;
 *   LRU and UNEVICTABLE as above for shmem.
 * - the shared zero page (an all-zero private copy may be it, MAP-39): ZERO_PAGE only, count 0
 *   (its mapcount is never raised: vm_normal_page returns no page for it).
 */
import { KPAGE_FLAGS, ok, outcomeEqual, type OpOf, type Outcome } from '../vocab/index.js';
import type { Steps } from '../run.js';
import type { Verdict } from '../verdict.js';
import type { SpecState } from '../state/types.js';
import { steps as pagemap } from './pagemap.js';
import { otherMappers } from '../mmap/fault-around.js';

const MAP_41 = 'MAP-41';

/** For the registry: MAP-41 is decided here (a rule object with its citation). */
export const map41 = {
  id: MAP_41,
  cite: 'MAP-41; fs/proc/page.c stable_page_flags (folio_mapped → KPF_MMAP, FOLIO_MAPPING_ANON → KPF_ANON, is_zero_pfn → KPF_ZERO_PAGE, PG_uptodate/PG_lru/PG_swapbacked/PG_unevictable copied), kpagecount_read (folio_precise_page_mapcount); include/linux/pagemap.h mapping_set_inaccessible (AS_UNEVICTABLE); mm/swap.c lru_add (PG_unevictable for an unevictable mapping); mm/shmem.c shmem_alloc_and_add_folio (folio_set_swapbacked); virt/kvm/guest_memfd.c __kvm_gmem_create, v6.18 and v7.2 (obs:KST-05..07)',
} as const;

type Flag = (typeof KPAGE_FLAGS)[number];
const entry = (set: readonly Flag[], count: number): Outcome => ok({ flags: KPAGE_FLAGS.filter((f) => set.includes(f)), count });
const BOTH = [false, true] as const;

/** The (lru, unevictable) pairs a folio of this kind may show. */
const lruPairs = (gmem: boolean): (readonly [boolean, boolean])[] =>
  BOTH.flatMap((l) => BOTH.map((u) => [l, u] as const)).filter(([l, u]) => !(gmem && l && !u));

const withLru = (base: readonly Flag[], gmem: boolean, thp: readonly boolean[]): Flag[][] =>
  lruPairs(gmem).flatMap(([l, u]) => thp.map((t) => [...base, ...(l ? ['lru' as const] : []), ...(u ? ['unevictable' as const] : []), ...(t ? ['thp' as const] : [])]));

/** The kpage outcomes one pagemap outcome of MAP-39 stands for. */
const kpageOf = (s: SpecState, op: OpOf<'kpageFlags'>, pm: Outcome): Outcome[] => {
  if (pm.kind !== 'ok') return [pm];
  const v = pm.value as { present?: boolean; file?: boolean; exclusive?: boolean } | null;
  if (v === null || v.present !== true) return [ok(null)];
  if (v.file !== true) {
    // A private copy: anonymous and mapped once; or the shared zero page (MAP-39's non-exclusive all-zero copy).
    if (v.exclusive !== true) return [entry(['zero'], 0)];
    return withLru(['uptodate', 'mmap', 'anon', 'swapbacked'], false, [false]).map((f) => entry(f, 1));
  }
  const map = s.maps.get(op.map)!;
  const gmem = s.inodes.get(map.inode)!.kind === 'gmem';
  const mp = Number(op.offset >> 12n);
  const [sure, maybe] = otherMappers(s, op.map, map.inode, map.pgoff + mp);
  const counts = v.exclusive === true ? [1] : Array.from({ length: maybe + 1 }, (_, i) => 1 + sure + i).filter((n) => n >= 2);
  const flags = withLru(['uptodate', 'mmap', ...(gmem ? [] : ['swapbacked' as const])], gmem, gmem ? [false] : [false, true]);
  return flags.flatMap((f) => counts.map((n) => entry(f, n)));
};

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  kpageFlags: (p, s, o): Verdict<SpecState> => {
    const v = pagemap.pagemap(p, s, { kind: 'pagemap', map: o.map, offset: o.offset });
    const pairs: [Outcome, Outcome][] = [];
    for (const pm of v.allowed) for (const k of kpageOf(s, o, pm)) if (!pairs.some(([x]) => outcomeEqual(x, k))) pairs.push([k, pm]);
    const many = pairs.length > 1;
    return {
      allowed: pairs.map(([k]) => k),
      // MAP-39 decides whether a page is there (and the errors); MAP-41 owns its flags and count.
      rules: [...v.rules, MAP_41],
      parts: [...(v.parts ?? []), { rule: MAP_41, path: ['value', 'flags'] }, { rule: MAP_41, path: ['value', 'count'] }],
      ...(many ? { loose: [v.loose, 'MAP-41: the LRU state follows the per-CPU add batches and mlock history; shmem THP follows the host\'s knob; the mapcount counts mappings fault-around may have filled'].filter((x) => x !== undefined).join('; ') } : {}),
      next: (observed: Outcome) => {
        const hit = pairs.find(([k]) => outcomeEqual(k, observed));
        if (hit === undefined) throw new Error(`kpageFlags: next() with an outcome the verdict does not allow`);
        return v.next(hit[1]);
      },
    };
  },
} satisfies Steps;
