/**
 * The numbered rules of the forked child (issue 15; docs/kernel-surface.md rows A07, D10, D11, F06,
 * K06) and of UFFDIO_MOVE (row I06). Same format as ./surface-rules.ts; a file of its own so the families grow without touching
 * each other. The child op also encodes older rules of ./kernel-rules.ts (MAP-11, LIFE-2, CRE-9,
 * SHR-5's fork case); their statements are unchanged.
 */
import type { RuleText } from './entry.js';

export const SURFACE_CHILD_RULES: readonly RuleText[] = [
  {
    id: 'MAP-24',
    statement: 'MADV_DONTFORK marks the advised pages of a gmem (or any) VMA VM_DONTCOPY, splitting it; a process forked afterwards has no VMA there, so its load or store at those pages is SIGSEGV `SEGV_MAPERR` (before any protection check: there is no VMA to check against), while the rest of the mapping is inherited. MADV_DOFORK clears the mark: a child forked after it has the pages again. (MADV_WIPEONFORK, the other fork advice, is refused on every file VMA: MAP-16.)',
    status: 'UP (generic mm)',
    observability: 'OBS',
    measured: 'on memfd, shared and private mappings: a child load/store in a DONTFORK page SIGSEGV MAPERR, the other pages inherited, DOFORK restores (obs:CHD-03); the advice itself 0 on gmem (obs:HF-M08..M17)',
    src: 'mm/madvise.c `madvise_vma_behavior` (MADV_DONTFORK sets VM_DONTCOPY, MADV_DOFORK clears it); kernel/fork.c `dup_mmap` (a VM_DONTCOPY VMA is not copied); arch/x86/mm/fault.c `do_user_addr_fault` (no VMA: SEGV_MAPERR), v7.2 (the same at v6.18).',
  },
  {
    id: 'UFD-23',
    statement: '`UFFDIO_MOVE` never moves a gmem page, or any file page: once both VMAs are found, a shared VMA (every gmem mapping), a VMA not registered with this userfaultfd, or a VMA that is not anonymous memory (a private file mapping too) → `EINVAL`, whatever the registration mode, the context\'s features (UFFD_FEATURE_MOVE or not) and the profile (the uffd-v2 series gives gmem uffd operations, which the move path never consults). Before the VMAs are looked up: a destination or source start that is not page aligned, a length that is 0 or not a page multiple, a range past TASK_SIZE, or mode bits beyond DONTWAKE|ALLOW_SRC_HOLES → `EINVAL`; then a start with no VMA → `ENOENT`.',
    status: 'UP-6.8 (generic mm; no gmem code involved)',
    observability: 'OBS',
    measured: 'on memfd, shared and private (MISSING-registered) mappings, with and without UFFD_FEATURE_MOVE: EINVAL for every move between found VMAs, EINVAL for each argument edge, ENOENT for a source or destination start 1 TiB below the mapping, EINVAL 1 TiB above it (past TASK_SIZE); EBADF on a closed uffd (obs:UFM-01)',
    src: 'mm/userfaultfd.c `userfaultfd_move`, `validate_range`, `move_pages` (VM_SHARED), `uffd_move_lock`, `find_vmas_mm_locked` (ENOENT), `validate_move_areas` (registration, `vma_is_anonymous`), v7.2; fs/userfaultfd.c `userfaultfd_move` with mm/userfaultfd.c `move_pages`, v6.18.',
  },
];
