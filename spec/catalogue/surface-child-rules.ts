/**
 * The numbered rules of the forked child (issue 15; docs/kernel-surface.md rows A07, D10, D11, F06,
 * K06). Same format as ./surface-rules.ts; a file of its own so the families grow without touching
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
];
