/**
 * /proc/self/pagemap of one page of a mapping (MAP-39; docs/kernel-surface.md J05). What the entry
 * says follows the PTE: none → 0; a present PTE → PRESENT, FILE unless the page is anonymous (a
 * MAP_PRIVATE copy), MMAP_EXCLUSIVE when exactly one PTE maps the page; a non-present marker (a
 * uffd-wp marker) → SWAP|UFFD_WP. PFN and soft-dirty are not part of the outcome (ops-observe.ts).
 */
import { UFFD_MODE, ok, type Outcome, type OpOf } from '../vocab/index.js';
import { cases, eitherOf, only, rule, type Decision } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { EMPTY, imGet, imSet } from '../state/imap.js';
import { withMap } from '../state/update.js';
import type { Mapping, SpecState } from '../state/types.js';
import { deadMap } from '../lifetime/handles.js';
import { AROUND_LOOSE, genFaultAround, maybeMapped, otherMappers, settled } from '../mmap/fault-around.js';
import { onMap, type Steps } from '../run.js';
import { guarded, map30Fact } from '../mmap/guard.js';
import { wpAt } from '../uffd/writeprotect.js';
import { POISON_LOOSE, poisonAt, ufd22Fact } from '../uffd/poison.js';

export interface PagemapBits {
  readonly present: boolean;
  readonly swap: boolean;
  readonly file: boolean;
  readonly exclusive: boolean;
  readonly uffdWp: boolean;
  readonly guard: boolean;
}
const NONE: PagemapBits = { present: false, swap: false, file: false, exclusive: false, uffdWp: false, guard: false };
const entry = (b: Partial<PagemapBits>): Outcome => ok({ ...NONE, ...b });

export const pagemapDead = deadMap<Ctx<'pagemap'>>('EFAULT');

/**
 * Outside the mapping's own pages there is no VMA (spec/README.md: an unmapped gap after each
 * mapping): the entry is 0 (pagemap_pte_hole). An address at or past the top of the user address
 * space has no entry at all: pagemap_read stops at mm->task_size and the read returns 0 bytes
 * (ok null). Which of the two an offset outside the mapping reaches depends on the mapping's
 * address unless the offset alone is larger than the address space — and mm->task_size is 2^47
 * minus a page with 4-level paging but 2^56 minus a page on a CPU with 5-level paging (LA57:
 * arch/x86/include/asm/page_64_types.h TASK_SIZE_MAX), where an address past 2^47 still gets an
 * entry (0). Measured on 7.2.13 under QEMU's -cpu max (LA57) in gmemcheck vm: base + 2^47 read an
 * all-zero entry; 6.18.44 on this host (4-level) returned no entry.
 */
const TASK_SIZE_LA57 = (1n << 56n) - 4096n;
export const pagemapOutside = rule<Ctx<'pagemap'>>({
  id: 'MAP-39',
  cite: 'MAP-39; fs/proc/task_mmu.c pagemap_read (end_vaddr = mm->task_size), pagemap_pte_hole; arch/x86/include/asm/page_64_types.h TASK_SIZE_MAX (5-level paging), v7.2; measured on 7.2.13 with LA57',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map)!;
    if (op.offset >= 0n && op.offset < BigInt(m.pages) * 4096n) return undefined;
    if (op.offset >= TASK_SIZE_LA57 || op.offset <= -TASK_SIZE_LA57) return only(s, ok(null));
    return cases([[entry({}), () => s], [ok(null), () => s]], 'MAP-39: whether an address outside the mapping lies below the top of the user address space depends on where the mapping is and on the paging levels (4: 2^47, 5: 2^56)');
  },
});


/** The entries a present page-cache PTE may show: exclusive per the other mappers, uffd-wp where registered WP. */
const presentFile = (s: SpecState, id: number, map: Mapping, mp: number): Outcome[] => {
  const [sure, maybe] = otherMappers(s, id, map.inode, map.pgoff + mp);
  const excl = sure > 0 ? [false] : maybe > 0 ? [true, false] : [true];
  const wp = wpBits(map, mp);
  return excl.flatMap((exclusive) => wp.map((uffdWp) => entry({ present: true, file: true, exclusive, uffdWp })));
};

/** The uffd-wp bit of a present PTE (UFD-20): set by UFFDIO_WRITEPROTECT, kept when the page faults in over a marker. */
const wpBits = (map: Mapping, mp: number): boolean[] => {
  const w = wpAt(map, mp);
  return w === undefined ? [false] : w === true ? [true] : [false, true];
};

/**
 * MAP-39: the entry of a page of the mapping. A MAP_PRIVATE copy is an anonymous page only this
 * PTE maps: PRESENT|EXCLUSIVE, not FILE. A page-cache page: PRESENT|FILE, EXCLUSIVE when no other
 * mapping's PTE maps it. No PTE: 0. A write-protected page (UFFDIO_WRITEPROTECT, UFD-20) shows
 * UFFD_WP on its present PTE, or, with no page mapped, as a uffd-wp marker (SWAP|UFFD_WP; a zap
 * of a WP-registered file VMA turns the bit into a marker); unregistering clears both
 * (userfaultfd_clear_vma → uffd_wp_range). A page an earlier read fault may have mapped around
 * (GEN-FAULT-AROUND) may be either.
 */
export const map39 = rule<MapCtx<'pagemap'>>({
  id: 'MAP-39',
  cite: 'MAP-39; fs/proc/task_mmu.c pte_to_pagemap_entry (vm_normal_page, folio_test_anon → PM_FILE, PM_MMAP_EXCLUSIVE when __folio_page_mapped_exclusively: page mapcount 1, PM_SWAP for markers, PM_GUARD_REGION for a guard marker), mm/memory.c zap_install_uffd_wp_if_needed, set_pte_range (pte_mkuffd_wp over a marker), v7.2',
  decide: (c) => {
    // UFD-22: a poison marker is a non-present marker with no page: PM_SWAP only (pte_to_pagemap_entry, v7.2; measured on 6.18.44 memfd).
    const pz = poisonAt(c.map, Number(c.op.offset >> 12n));
    if (pz === true) return only(c.s, entry({ swap: true }), [ufd22Fact]);
    const d = map39Decide(c);
    return pz === 'maybe' ? eitherOf(only(c.s, entry({ swap: true }), [ufd22Fact]), d, POISON_LOOSE) : d;
  },
});

const map39Decide = ({ s, op, map }: MapCtx<'pagemap'>): Decision => {
    const mp = Number(op.offset >> 12n);
    // A guard marker (MAP-30) is a non-present marker with no page: SWAP|GUARD_REGION.
    if (guarded(map, mp)) return only(s, entry({ swap: true, guard: true }), [map30Fact]);
    const cow = imGet(map.cow, mp);
    // A private copy is an anonymous page mapped once: EXCLUSIVE. One that reads all zero may be the
    // shared zero page instead (UFFDIO_ZEROPAGE into a private mapping maps it: mm/userfaultfd.c
    // mfill_atomic_pte_zeropage, v7.2), which vm_normal_page does not return, so no EXCLUSIVE bit;
    // the spec keeps bytes, not which page holds them. Found by a native uffd run (6.18.44, memfd).
    if (cow !== undefined) {
      const excl = cow === EMPTY ? [true, false] : [true];
      return pick(s, excl.flatMap((exclusive) => wpBits(map, mp).map((uffdWp) => entry({ present: true, exclusive, uffdWp }))), () => s);
    }
    if (imGet(map.ptes, mp) !== undefined) return pick(s, presentFile(s, op.map, map, mp), () => s);
    // No PTE: a uffd-wp marker where the page is write-protected (UFD-20), else nothing.
    const empty = wpBits(map, mp).map((w) => (w ? entry({ swap: true, uffdWp: true }) : entry({})));
    if (!maybeMapped(map, mp)) return pick(s, empty, () => s);
    const mapped = (): SpecState => withMap(s, op.map, { ...settled(map, mp, mp + 1), ptes: imSet(map.ptes, mp, mp + 1, true) });
    const gone = (): SpecState => withMap(s, op.map, settled(map, mp, mp + 1));
    return {
      ...cases([...presentFile(s, op.map, map, mp).map((o) => [o, mapped] as const), ...empty.map((o) => [o, gone] as const)], AROUND_LOOSE),
      also: [genFaultAround],
    };
};

const pick = (s: SpecState, outs: readonly Outcome[], next: () => SpecState): Decision =>
  outs.length === 1 ? only(s, outs[0]!)
    : cases(outs.map((o) => [o, next] as const), 'MAP-39: another mapping may map the page (fault-around), or a uffd-wp bit or marker may be there (a WP-registered range)');

export const pagemapPre = [pagemapDead, pagemapOutside] as const;
export const pagemapChain = [map39] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  pagemap: (p, s, o: OpOf<'pagemap'>) => onMap({ p, s, op: o }, pagemapPre, o.map, pagemapChain),
} satisfies Steps;
