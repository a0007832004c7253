/**
 * Zoo bugs of the observation family (issue 15): each a plausible kernel change that makes
 * /proc/self/pagemap or /proc/self/smaps misreport a guest_memfd mapping, with its shortest
 * counterexample (G = createGmem on vm 0 with MMAP|INIT_SHARED, M = mmap of it). Spread into
 * ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const OBSERVE_BUGS = [
  // createVm; G; M; store; pagemap → FILE expected, not FILE with the bug.
  { id: 'pagemap-gmem-anon', description: 'pagemap reports a faulted-in gmem page as anonymous (no PM_FILE)', domain: 'mmap', rule: 'MAP-39', needs: '', shortest: 5 },
  // createVm; G; M; M; store through both; pagemap → not exclusive expected, exclusive with the bug.
  { id: 'pagemap-always-exclusive', description: 'PM_MMAP_EXCLUSIVE ignores the other mappings of a gmem page', domain: 'mmap', rule: 'MAP-39', needs: '', shortest: 6 },
  // createVm; G; M; M; store through both; smaps → Shared expected, Private with the bug.
  { id: 'smaps-shared-as-private', description: 'smaps counts a gmem page mapped twice as Private', domain: 'mmap', rule: 'MAP-38', needs: '', shortest: 6 },
  // createVm; G; M; mlock; smaps → Locked = Pss expected, 0 with the bug.
  { id: 'smaps-gmem-locked-zero', description: 'smaps shows Locked: 0 for an mlocked gmem VMA', domain: 'mmap', rule: 'MAP-38', needs: '', shortest: 5 },
  // createVm; G; M; smaps → no `me` expected, `me` with the bug.
  { id: 'smaps-gmem-mayexec', description: 'a gmem VMA gets VM_MAYEXEC (the pseudo filesystem lost SB_I_NOEXEC)', domain: 'mmap', rule: 'MAP-38', needs: '', shortest: 4 },
  // createVm; G; fdInfo → flags 0100002 expected, 02 with the bug.
  { id: 'fdinfo-gmem-no-largefile', description: 'a gmem file is created without O_LARGEFILE in f_flags (fdinfo flags 02)', domain: 'lifetime', rule: 'LIFE-18', needs: '', shortest: 3 },
  // createVm; G; fdInfo → no O_CLOEXEC expected, O_CLOEXEC with the bug.
  { id: 'fdinfo-cloexec-inverted', description: 'fdinfo reports O_CLOEXEC for a gmem fd that is not close-on-exec', domain: 'lifetime', rule: 'LIFE-18', needs: '', shortest: 3 },
] as const satisfies readonly BugInfo[];
