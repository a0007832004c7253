/**
 * Zoo bugs of UFFDIO_WRITEPROTECT (issue 15, row I02): each a plausible kernel change that breaks
 * UFD-20 on a guest_memfd mapping (the memfd control keeps correct shmem behaviour), with its
 * shortest counterexample (G = createGmem on vm 0 with fd 0, MI = MMAP|INIT_SHARED; U = uffdCreate
 * with WP_ASYNC, R = uffdRegister WP). Spread into ./bugs.ts's BUGS.
 */
export const UFFDWP_BUGS = [
  // createVm; G(MI); mmap; U(0); uffdWriteProtect(0, P, WP) → ENOENT expected (no WP registration), ok with the bug.
  { id: 'uffdwp-gmem-any-vma', description: 'UFFDIO_WRITEPROTECT accepts a gmem VMA that is not registered for WP', domain: 'uffd', rule: 'UFD-20', needs: '', shortest: 5 },
  // createVm; G(MI); mmap; U(WP_ASYNC); R(WP); uffdWriteProtect(WP); store; pagemap → uffdWp false expected, true with the bug.
  { id: 'uffdwp-gmem-async-keeps-wp', description: 'an async-WP store to a write-protected gmem page leaves the uffd-wp bit set (the write is not recorded for PAGEMAP_SCAN)', domain: 'uffd', rule: 'MAP-39', needs: '', shortest: 8 },
  // createVm; G(MI); mmap; U(WP_ASYNC); R(WP); uffdWriteProtect(WP); pagemap → SWAP|UFFD_WP expected, 0 with the bug.
  { id: 'pagemap-no-uffd-wp', description: 'pagemap drops PM_UFFD_WP (and the marker) on a write-protected gmem page', domain: 'uffd', rule: 'MAP-39', needs: '', shortest: 7 },
] as const;
