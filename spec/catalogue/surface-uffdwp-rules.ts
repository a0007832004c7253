/**
 * The numbered rule of userfaultfd write protection (issue 15; docs/kernel-surface.md row I02).
 * Same format as ./surface-rules.ts; a file of its own so the families grow without touching
 * each other.
 */
import type { RuleText } from './entry.js';

export const SURFACE_UFFDWP_RULES: readonly RuleText[] = [
  {
    id: 'UFD-20',
    statement: '`UFFDIO_WRITEPROTECT` checks the range (start page aligned, length a non-zero page multiple, inside TASK_SIZE) and then the mode (bits beyond WP|DONTWAKE, or WP with DONTWAKE) — `EINVAL`; then it walks the VMAs of the range in address order: the first VMA not registered for WP (by any context of the mm) ends the walk with `ENOENT`, after the VMAs before it were changed; a range meeting no VMA is `ENOENT`. Mode WP gives each page of a WP VMA the uffd-wp state: a present PTE gets the uffd-wp bit (and loses write permission), an empty PTE of a file VMA (shmem, guest_memfd) gets a uffd-wp marker; mode 0 clears both and wakes waiters. pagemap shows `PM_UFFD_WP` on such a page (with `PM_SWAP` for a marker). A store to a write-protected page in a WP-registered VMA: under a WP_ASYNC context the kernel clears the bit and the store completes with no event; otherwise a userfault with `UFFD_PAGEFAULT_FLAG_WP|WRITE` (SIGBUS under UFFD_FEATURE_SIGBUS); a page with only a marker first faults in as usual (MISSING/MINOR userfaults first) and keeps the bit. A kernel-mode write (GUP, a copy from the kernel) to such a page in a synchronous context needs a userfault the UFFD_USER_MODE_ONLY context cannot raise → `EFAULT`. A zap (DONTNEED, shmem punch, truncation) turns the bit into a marker; guest_memfd\'s punch (`unmap_mapping_folio`, ZAP_FLAG_DROP_MARKER) drops the bits and markers over a mapped folio; unregistering clears them; a re-registration without WP leaves them stale; a resolve ioctl installs a PTE without the bit; a forked child has none.',
    status: 'UP (generic mm; guest_memfd registers only WP_ASYNC on 6.18, UFD-1)',
    observability: 'OBS',
    measured: 'on memfd 6.18.44 (test/unit/native/uffdwp.test.ts): WP on a WP_ASYNC range → 0, pagemap SWAP|UFFD_WP on an empty page and PRESENT|UFFD_WP on a mapped one, a store then clears it with no event; a synchronous WP store raises the WP event (the COPY answer EEXIST, the page unregistered, the store done); mode bits, WP|DONTWAKE and a range without WP registration refused; gmem cases derived (no guest_memfd on this host).',
    src: 'mm/userfaultfd.c `userfaultfd_writeprotect`, `validate_range`, `mwriteprotect_range`, `uffd_wp_range`; mm/mprotect.c `change_pte_range` (MM_CP_UFFD_WP, markers on none PTEs); include/linux/userfaultfd_k.h `userfaultfd_wp_use_markers`; mm/memory.c `do_wp_page` (`userfaultfd_pte_wp`, `userfaultfd_wp_async`), `set_pte_range`, `zap_install_uffd_wp_if_needed`, `unmap_mapping_folio`; fs/proc/task_mmu.c `pte_to_pagemap_entry`, v7.2; fs/userfaultfd.c `userfaultfd_writeprotect`, v6.18.',
  },
];
