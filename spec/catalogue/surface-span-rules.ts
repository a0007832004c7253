/**
 * The numbered rule of the range-spanning row (issue 15; docs/kernel-surface.md E18). Same format
 * as ./surface-rules.ts; a file of its own so the families grow without touching each other.
 * Kernel sources are read at v6.18 and v7.2 (Debian's linux-source-7.2).
 */
import type { RuleText } from './entry.js';

export const SURFACE_SPAN_RULES: readonly RuleText[] = [
  {
    id: 'MAP-26',
    statement: 'A range op (madvise, mprotect, mlock/mlock2/munlock) whose range covers the tail of a guest_memfd (or memfd) mapping and an adjacent anonymous private VMA after it is answered VMA by VMA in address order: the mapping\'s part gets exactly the answer the op would give on that part alone, and when it fails the call ends there with the anonymous VMA untouched; when it succeeds its effects stay and the anonymous VMA answers next. Every call drawn succeeds on a fresh anonymous private VMA except `MADV_REMOVE` (no `vm_file` → `EINVAL`), so a MADV_REMOVE span punches the mapping\'s tail and still returns `EINVAL`; an mlock span flags both VMAs before populating them.',
    status: 'UP (generic mm; a guest_memfd VMA is one VMA among others in the walk)',
    observability: 'OBS',
    measured: 'on memfd, 6.18.44 (this host): MADV_REMOVE over a shared memfd mapping\'s tail and an anonymous page → `EINVAL` with the tail punched; DONTNEED, WILLNEED, the mprotects and mlock → 0 (test/unit/native/span.test.ts and the random native runs)',
    src: 'mm/madvise.c `madvise_walk_vmas` (a visit\'s error ends the walk), `madvise_remove` (VM_LOCKED or no `vm_file` → `-EINVAL`, not shared-writable → `-EACCES`), `madvise_free_single_vma`, `madvise_willneed`; mm/mprotect.c `do_mprotect_pkey` (the VMA loop breaks at the first error, after `mprotect_fixup` changed the VMAs before it); mm/mlock.c `apply_vma_lock_flags`, `mlock_fixup`; mm/gup.c `__mm_populate`, v6.18 and v7.2.',
  },
];
