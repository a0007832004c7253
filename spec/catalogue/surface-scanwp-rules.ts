/**
 * The numbered rule of PAGEMAP_SCAN's write-protecting flags over an async-WP range (issue 15;
 * docs/kernel-surface.md rows I03, J06). Same format as ./surface-rules.ts; a file of its own so
 * the families grow without touching each other.
 */
import type { RuleText } from './entry.js';

export const SURFACE_SCANWP_RULES: readonly RuleText[] = [
  {
    id: 'UFD-21',
    statement: 'A range registered `UFFDIO_REGISTER_MODE_WP` by a context created with `UFFD_FEATURE_WP_ASYNC` (file VMAs always use markers, so memfd and guest_memfd qualify) is async-WP: `PAGEMAP_SCAN` reports `PAGE_IS_WPALLOWED` on its pages, `PM_SCAN_CHECK_WPASYNC` passes there, and a page is `WRITTEN` unless its PTE carries the uffd-wp bit (present: `PRESENT|FILE` without `WRITTEN`) or is a uffd-wp marker (`SWAPPED`); an empty PTE or a hole of such a VMA is `WRITTEN`. With `PM_SCAN_WP_MATCHING` every page the scan outputs (inside `vec_len` regions and `max_pages`) gets the uffd-wp bit back, an empty one a uffd-wp marker; pages it did not output keep their state; with no region buffer (`vec_len` 0) every PTE of a page table in the range is write-protected whatever its categories. A store to such a write-protected page is resolved by the kernel: the bit is cleared, the store completes and no event is queued (UFD-20), so the next scan reports the page `WRITTEN` again.',
    status: 'UP (generic mm; guest_memfd registers WP_ASYNC on 6.18, UFD-1)',
    observability: 'OBS',
    measured: 'on memfd 6.18.44 (/tmp probe, then test/unit/native/scanwp.test.ts): WP_ASYNC context, REGISTER(WP) over 8 pages with two mapped: scan 0xf (WPALLOWED|WRITTEN|FILE|PRESENT) on mapped pages, 0x3 on empty ones; WP_MATCHING|CHECK_WPASYNC with mask WRITTEN → the same regions, then 0xd on mapped and 0x11 (SWAPPED|WPALLOWED, a marker) on empty ones; a store to a protected page → 0xf with no event; WP_MATCHING with max_pages 1 protects only the page it output (walk_end at the next written page); vec_len 0 protects every page; a 2 MiB hole of a WP VMA is 0x3, and 0x11 after WP_MATCHING.',
    src: 'fs/proc/task_mmu.c `pagemap_scan_test_walk` (`userfaultfd_wp_async`, `userfaultfd_wp_use_markers`), `pagemap_page_category`, `pagemap_scan_pmd_entry` (the WP_MATCHING fast paths), `pagemap_scan_pte_hole` (`uffd_wp_range`), `make_uffd_wp_pte`, `pagemap_scan_output`, v7.2 and v6.18; fs/userfaultfd.c `userfaultfd_api` (UFFD_FEATURE_WP_ASYNC), mm/memory.c `do_wp_page` (`userfaultfd_wp_async`), v7.2.',
  },
];
