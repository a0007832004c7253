/**
 * Zoo bugs of the mapping family (issue 15): each a plausible kernel change that breaks one rule of
 * spec/catalogue/surface-map-rules.ts on a guest_memfd mapping, with its shortest counterexample
 * (G = createGmem on vm 0 with fd 0). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const MAP_BUGS = [
  // createVm; G(MMAP); mmapEx(SHARED_VALIDATE|SYNC) → EOPNOTSUPP expected, ok with the bug.
  { id: 'shared-validate-lax', description: 'MAP_SHARED_VALIDATE drops the bits outside LEGACY_MAP_MASK like MAP_SHARED (MAP_SYNC accepted)', domain: 'mmap', rule: 'MAP-17', needs: '', shortest: 3 },
  // createVm; G(MI); mmap; mmapEx(over map 0, MAP_SHARED|MAP_FIXED_NOREPLACE) → EEXIST expected, ok with the bug.
  { id: 'noreplace-replaces', description: 'MAP_FIXED_NOREPLACE replaces an existing mapping like MAP_FIXED', domain: 'mmap', rule: 'MAP-17', needs: '', shortest: 4 },
  // createVm; G(MMAP, private); mmapEx(MAP_SHARED|MAP_POPULATE) → ok expected (the populate stops at the
  // first page, which may not be faulted), EFAULT with the bug.
  { id: 'populate-error-fails', description: 'MAP_POPULATE fails the mmap when a page cannot be faulted in (errors not ignored)', domain: 'mmap', rule: 'MAP-18', needs: '', shortest: 3 },
] as const satisfies readonly BugInfo[];
