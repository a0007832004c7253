/**
 * Zoo bugs of the range-spanning row (issue 15, docs/kernel-surface.md E18): each a plausible
 * kernel change that breaks MAP-26 when a range op covers a guest_memfd mapping's tail and the
 * anonymous VMA after it, with its shortest counterexample (G = createGmem on vm 0 with fd 0).
 * Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const SPAN_BUGS = [
  // createVm; G; mmap; spanRange(MADV_REMOVE) → EINVAL expected, ok with the bug.
  { id: 'span-stops-after-gmem', description: 'a range op spanning a gmem VMA and an anonymous one stops after the gmem VMA (the anonymous VMA\'s MADV_REMOVE refusal is lost)', domain: 'mmap', rule: 'MAP-26', needs: '', shortest: 4 },
  // createVm; G; mmap; store; spanRange(MADV_REMOVE) → EINVAL either way; an observation of the
  // punched tail then differs: a load reads the old byte instead of 0 (FIO-11); with other mix
  // weights the shrink ends on smaps' resident counts instead (MAP-38), the same bug.
  { id: 'span-remove-checks-first', description: 'MADV_REMOVE over a gmem VMA and an anonymous one refuses before it punches the gmem part (the walk checks every VMA first)', domain: 'mmap', rule: 'FIO-11', needs: '', shortest: 6 },
] as const satisfies readonly BugInfo[];
