/**
 * Zoo bugs of PAGEMAP_SCAN's write-protecting flags over an async-WP range (issue 15, rows I03,
 * J06): each a plausible kernel change that breaks UFD-21 on a guest_memfd mapping (the memfd
 * control keeps correct shmem behaviour), with its shortest counterexample (G = createGmem on vm 0
 * with fd 0, MI = MMAP|INIT_SHARED; U = uffdCreate(WP_ASYNC); R = uffdRegister(WP)).
 * Spread into ./bugs.ts's BUGS.
 */
export const SCANWP_BUGS = [
  // createVm; G(MI); mmap; U; R; store; scan(WP_MATCHING); scan → the page PRESENT|FILE without WRITTEN expected, WRITTEN with the bug.
  { id: 'scanwp-gmem-no-reprotect', description: 'PAGEMAP_SCAN with PM_SCAN_WP_MATCHING reports a written gmem page but does not write-protect it again', domain: 'uffd', rule: 'UFD-21', needs: '', shortest: 8 },
  // createVm; G(MI); mmap; U; R; store 0; store 1; scan(WP_MATCHING, max_pages 1); scan → page 1 WRITTEN expected, protected with the bug.
  { id: 'scanwp-gmem-protect-past-cap', description: 'PAGEMAP_SCAN with PM_SCAN_WP_MATCHING write-protects the gmem page its max_pages cap stopped at, which it did not report', domain: 'uffd', rule: 'UFD-21', needs: '', shortest: 9 },
] as const;
