/**
 * Zoo bugs of mprotect over a range (issue 15, MAP-19): each a plausible kernel change to
 * do_mprotect_pkey / mprotect_fixup on a guest_memfd mapping. Spread into ./bugs.ts's BUGS.
 * (G = createGmem with MMAP|INIT_SHARED, M = mmap of it, R = mprotectRange.)
 */
import type { BugInfo } from './bugs.js';

export const MPROT_BUGS = [
  // createVm; G; M(4 pages); R(page 1, 1 page, READ); store at page 0 → ok expected, SIGSEGV with the bug
  // (the hunt's shortest ends with a futex on page 0 instead: a shared futex takes the page with GUP,
  // which the whole-VMA protection refuses (MAP-35)).
  { id: 'mprotect-range-whole-vma', description: 'a partial mprotect of a gmem mapping changes the whole VMA instead of splitting it', domain: 'mmap', rule: 'MAP-34', needs: '', shortest: 5 },
  // createVm; G; M(4 pages); R(page 0, 8 pages, READ|WRITE) → ENOMEM expected, 0 with the bug.
  { id: 'mprotect-range-hole-ok', description: 'mprotect of a range running past the end of a gmem VMA does not report the hole (ENOMEM)', domain: 'mmap', rule: 'MAP-19', needs: '', shortest: 4 },
  // createVm; G; M; R(page 0, 1 page, READ | 1 << 32) → EINVAL expected, 0 with the bug.
  { id: 'mprotect-range-prot-int', description: 'mprotect on a gmem VMA reads prot as an int: bits 32..63 are dropped instead of refused', domain: 'mmap', rule: 'MAP-19', needs: '', shortest: 4 },
] as const satisfies readonly BugInfo[];
