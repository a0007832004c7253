/**
 * Zoo bugs of the mremap / populate-permission family (issue 15, docs/kernel-surface.md E09, F12):
 * each a plausible kernel change that breaks one rule of spec/catalogue/surface-mremap-rules.ts on
 * a guest_memfd mapping, with its shortest counterexample (G = createGmem on vm 0 with fd 0).
 * Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const MREMAP_BUGS = [
  // createVm; G; mmap(PROT_READ); madvise(POPULATE_WRITE) → EINVAL expected, EFAULT with the bug.
  { id: 'populate-prot-efault', description: 'MADV_POPULATE_* reports a VMA permission refusal as EFAULT (the FOLL_MADV_POPULATE lookup lost)', domain: 'mmap', rule: 'MAP-29', needs: '', shortest: 4 },
  // createVm; G; mmap; setVmaName(valid, 0, P) → EBADF (or EINVAL without the build option) expected, ok with the bug.
  { id: 'gmem-vma-named', description: 'PR_SET_VMA_ANON_NAME names a gmem VMA (treated as anonymous memory)', domain: 'mmap', rule: 'MAP-25', needs: '', shortest: 4 },
  // createVm; G; mmap; mremap(whole, 2 pages, MAYMOVE|DONTUNMAP) → EINVAL expected, ok with the bug.
  { id: 'mremap-dontunmap-resize', description: 'MREMAP_DONTUNMAP accepts a size change on a gmem mapping (check_mremap_params lost the old_len != new_len test)', domain: 'mmap', rule: 'MAP-21', needs: '', shortest: 4 },
  // createVm; G; mmap; mremap(whole, shorter); an observation of the result past its new end
  // (mincore: ENOMEM expected, the pages' residency with the bug; the observation's rule blames it).
  { id: 'mremap-shrink-keeps-tail', description: 'mremap shrinking a gmem mapping in place leaves its tail mapped', domain: 'mmap', rule: 'MAP-22', needs: '', shortest: 5 },
] as const satisfies readonly BugInfo[];
