/**
 * Zoo bugs of the forked child and of UFFDIO_MOVE (issue 15): each a plausible kernel change that
 * breaks one rule the `child` or `uffdMove` op checks, with its shortest counterexample (G = createGmem on vm 0 with fd 0, MI =
 * MMAP|INIT_SHARED). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const CHILD_BUGS = [
  // createVm; G(MI); mmap; madvise(DONTFORK); child(load 0) → SIGSEGV MAPERR expected, ok with the bug.
  { id: 'child-dontfork-ignored', description: 'fork copies a gmem VMA marked MADV_DONTFORK', domain: 'mmap', rule: 'MAP-24', needs: '', shortest: 5 },
  // createVm; G(MI); mmap; child(store 0, 5); load 0 → 5 expected, 0 with the bug. The bug breaks
  // MAP-11 (the child shares the pages); the parent's load is where it shows, and the byte it must
  // read is MAP-6's (one set of pages behind every mapping of the file).
  { id: 'child-shares-nothing', description: 'a forked child\'s stores to a shared gmem mapping land in a private copy, never in the file', domain: 'mmap', rule: 'MAP-6', needs: '', shortest: 5 },
  // createVm(type 1); G(MMAP|INIT_SHARED); mmap; convert(to private); child(load 0) → SIGBUS expected, ok with the bug.
  // The fault path's private-offset refusal decides (MAP-5, with SHR-5 under the conversion series).
  { id: 'child-private-fault-allowed', description: 'a forked child faults in a page converted to private (the refusal is checked for the VM\'s own mm only)', domain: 'shareability', rule: 'MAP-5', needs: 'features.conversion, VM type 1', shortest: 5 },
  // createVm; G(MI); mmap; uffdCreate; uffdMove(0 → 0, P, ALLOW_SRC_HOLES) → EINVAL expected, ok { count } with the bug.
  { id: 'uffd-move-gmem-holes', description: 'UFFDIO_MOVE lets a gmem VMA through its area check: with no anonymous pages every source page is a hole, counted as moved under ALLOW_SRC_HOLES', domain: 'uffd', rule: 'UFD-23', needs: '', shortest: 5 },
] as const satisfies readonly BugInfo[];
