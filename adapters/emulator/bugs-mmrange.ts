/**
 * Zoo bugs of partial munmap (issue 15, MAP-20): each a plausible kernel change to the VMA split of
 * do_vmi_munmap on a guest_memfd mapping, with its shortest counterexample (G = createGmem on vm 0
 * with MMAP|INIT_SHARED, M = mmap of it, U = munmapPart). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const MMRANGE_BUGS = [
  // createVm; G; M; U(page 0, 1 page → the tail is map 1); load through map 1 → ok expected, SIGSEGV with the bug
  // (the hunt's shortest ends with an observation of the tail instead: since round 4's wider mix, smaps (MAP-38)).
  { id: 'munmap-part-drops-tail', description: 'a partial munmap of a gmem mapping unmaps everything from the start of the range to the end of the VMA', domain: 'mmap', rule: 'GEN-MADVISE', needs: '', shortest: 5 },
  // createVm; G; M; U(page 1, 1 page); load through map 0 at page 1 → SIGSEGV expected, ok with the bug
  // (the hunt's shortest ends with another observation instead: since round 4's wider mix, an io_uring pin over the
  // range (MAP-36): EFAULT expected, the pages pinned with the bug).
  { id: 'munmap-part-keeps-range', description: 'a partial munmap inside a gmem VMA splits it but leaves the range mapped', domain: 'mmap', rule: 'MAP-42', needs: '', shortest: 5 },
  // createVm; G; M; U(page 0, 4097 bytes) → ok expected, EINVAL with the bug.
  { id: 'munmap-part-unaligned-einval', description: 'munmap of a gmem range refuses a length that is not a page multiple (it must round it up)', domain: 'mmap', rule: 'MAP-20', needs: '', shortest: 4 },
] as const satisfies readonly BugInfo[];
