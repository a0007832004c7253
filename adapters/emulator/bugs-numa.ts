/**
 * Zoo bugs of the NUMA family (issue 15): each a plausible kernel change that breaks get_mempolicy's
 * flags check, what numa_maps says of a guest_memfd VMA or what move_pages does with its pages, with its shortest counterexample
 * (G = createGmem on vm 0 with MMAP|INIT_SHARED, M = mmap of it). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const NUMA_BUGS = [
  // createVm; G; M; getMempolicyFlags(ADDR | 2^32) → EINVAL expected, ok with the bug.
  { id: 'mempolicy-flags-int', description: 'get_mempolicy checks its unsigned long flags word as an int: bits 32..63 are ignored instead of EINVAL', domain: 'mempolicy', rule: 'POL-22', needs: '', shortest: 4 },
  // createVm; G; M; store; numaMaps → anon=0 expected, anon=1 with the bug.
  { id: 'numa-maps-gmem-anon', description: 'numa_maps counts guest_memfd folios as anonymous (anon=)', domain: 'mempolicy', rule: 'POL-24', needs: '', shortest: 5 },
  // (shared gmem policy) createVm; G; M; M; mbind(map 1, BIND); numaMaps(map 0) → bind:0 expected, default with the bug.
  { id: 'numa-maps-vma-policy', description: 'numa_maps shows the VMA\'s own policy of a gmem VMA instead of the shared policy kvm_gmem_get_policy returns', domain: 'mempolicy', rule: 'POL-24', needs: 'P-POL-SCOPE=INODE', shortest: 6 },
  // createVm; G; M; store; movePages(query, 1 page) → [0] expected, [ENOENT] with the bug.
  { id: 'move-pages-gmem-enoent', description: 'move_pages in query mode reports a mapped guest_memfd page as not present (-ENOENT)', domain: 'mempolicy', rule: 'POL-20', needs: '', shortest: 5 },
  // createVm; G; M; store; movePages(move to node 0) → 0 expected, 1 page not moved with the bug.
  { id: 'move-pages-count-already', description: 'move_pages counts a guest_memfd folio already on the target node as not migrated (a positive return)', domain: 'mempolicy', rule: 'POL-20', needs: '', shortest: 5 },
] as const satisfies readonly BugInfo[];
