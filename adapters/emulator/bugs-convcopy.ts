/**
 * Zoo bugs of copyRange (row B24; spec/fdcalls/copy-range.ts): each a plausible kernel change that
 * breaks one check of copy_file_range between two files of the sequence, with its shortest
 * counterexample (G = createGmem on vm 0, M = createMemfd). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const CONVCOPY_BUGS = [
  // createVm; G; G; copyRange(0 → 1, len 1) → EINVAL expected (one superblock, the splice fallback), EXDEV with the bug.
  { id: 'gmem-copy-range-own-sb', description: 'each gmem file gets a superblock of its own, so copy_file_range between two gmem files is EXDEV instead of reaching the splice fallback', domain: 'fileops', rule: 'FIO-30', needs: '', shortest: 4 },
  // createVm; G; copyRange(0 → 0, srcOff = size, dstOff 0, len 1) → 0 expected (the count cut at EOF), EINVAL with the bug.
  { id: 'copy-range-no-eof-cut', description: 'generic_copy_file_checks no longer shortens the count at the source\'s EOF', domain: 'fileops', rule: 'FIO-30', needs: '', shortest: 3 },
  // createVm; G; copyRange(0 → 0, 0 → P, len 1) → EINVAL expected (the splice fallback), 1 with the bug.
  { id: 'gmem-copy-range-splices', description: 'gmem gains .llseek and .splice_read, so the splice fallback of copy_file_range moves page-cache bytes between gmem files', domain: 'fileops', rule: 'FIO-30', needs: '', shortest: 3 },
] as const satisfies readonly BugInfo[];
