/**
 * Zoo bugs of the proposed series' paths (issue 15, docs/kernel-surface.md section K): the write()
 * population loop (FIO-29), mlock on a NO_DIRECT_MAP mapping (DMAP-21) and the pagemap view of a refused
 * conversion (SHR-22). Each a plausible change
 * to a series, with its shortest counterexample (G = createGmem on vm 0 with fd 0, MI =
 * MMAP|INIT_SHARED, NDM = MI|NO_DIRECT_MAP). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const SERIES_BUGS = [
  // createVm; G(4P); pwrite(0, 2P+1) → ok { count: 2P } expected, EINVAL with the bug.
  { id: 'write-unaligned-tail-einval', description: 'the write() series judges the whole length up front (as one write_begin): a write with an unaligned tail or one running past EOF is EINVAL instead of the short count of its whole in-bounds pages', domain: 'fileops', rule: 'FIO-18', needs: 'features.noDirectMap+write', shortest: 3 },
  // createVm; G(4P); pwrite(0, 2P+1) → ok { count: 2P } expected, EINVAL with the bug (the refused
  // tail's errno replaces the count; an EEXIST page after a written one shows it too, in 4 ops).
  { id: 'write-short-count-lost', description: 'a write() that meets a refused page after writing earlier ones returns the refusal\'s errno, losing the count of the pages it did write', domain: 'fileops', rule: 'FIO-18', needs: 'features.noDirectMap+write, P-WRITE=ONCE', shortest: 3 },
  // createVm; G(NDM); mmap; mlock → ENOMEM expected, ok with the bug (the VMA locked and populated).
  { id: 'ndm-mlock-locks', description: 'mlock on a NO_DIRECT_MAP mapping sets VM_LOCKED and populates through the fault path instead of being skipped and refused by GUP', domain: 'directmap', rule: 'DMAP-21', needs: 'features.noDirectMap', shortest: 4 },
  // createVm(type 1); G(MI); mmap; pin(vmsplice, 0); convert(to private) → EAGAIN; pagemap → not present expected, present with the bug.
  // The bug breaks SHR-22 (unmap before the reference check); pagemap is where it shows, and the entry it must
  // read is MAP-39's (no PTE, entry 0).
  { id: 'conv-eagain-keeps-ptes', description: 'the conversion checks references before it unmaps: a to-private conversion refused with EAGAIN leaves the host PTEs of the range in place', domain: 'shareability', rule: 'MAP-39', needs: 'features.conversion, VM type 1', shortest: 6 },
  // createVm(type 1); G(MI); convert(errorOffsetIn 1) → EINVAL expected (SHR-23's input check), ok with the bug.
  { id: 'convert-error-offset-unchecked', description: 'the conversion ioctl no longer input-checks error_offset: a caller\'s non-zero value is accepted and the conversion goes through', domain: 'shareability', rule: 'SHR-23', needs: 'features.conversion, VM type 1', shortest: 3 },
] as const satisfies readonly BugInfo[];
