/**
 * Zoo bugs of the procfs query ioctls (issue 15; MAP-40, MAP-42): each a plausible kernel change
 * that makes PAGEMAP_SCAN or PROCMAP_QUERY misreport a guest_memfd mapping, with its shortest
 * counterexample (G = createGmem on vm 0 with MMAP|INIT_SHARED, M = mmap of it). Spread into
 * ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const PROCOBS_BUGS = [
  // createVm; G; M; store; pagemapScan → a FILE region expected, without FILE with the bug.
  { id: 'scan-gmem-not-file', description: 'PAGEMAP_SCAN does not mark a mapped gmem page PAGE_IS_FILE (vm_normal_page misses gmem folios)', domain: 'mmap', rule: 'MAP-40', needs: '', shortest: 5 },
  // createVm; G; M; pagemapScan → one region over the untouched pages expected, one region per page with the bug.
  { id: 'scan-no-merge', description: 'PAGEMAP_SCAN writes one region per gmem page instead of merging equal neighbours', domain: 'mmap', rule: 'MAP-40', needs: '', shortest: 4 },
  // createVm; G; M; procmapQuery → flags with SHARED expected, without with the bug.
  { id: 'procmap-gmem-not-shared', description: 'PROCMAP_QUERY reports a MAP_SHARED gmem VMA without PROCMAP_QUERY_VMA_SHARED', domain: 'mmap', rule: 'MAP-42', needs: '', shortest: 4 },
  // createVm; G; M; procmapQuery(build-id size without address) → EINVAL expected, ok with the bug.
  { id: 'procmap-buildid-pair-unchecked', description: 'PROCMAP_QUERY accepts a build-id size without a buffer address on a gmem VMA', domain: 'mmap', rule: 'MAP-42', needs: '', shortest: 4 },
  // createVm; G; M; mapFiles(openRdwr) → ENXIO expected, ok with the bug.
  { id: 'map-files-gmem-opens', description: '/proc/self/map_files of a gmem VMA opens a second file (the gmem inode got an open method)', domain: 'mmap', rule: 'LIFE-16', needs: '', shortest: 4 },
] as const satisfies readonly BugInfo[];
