/**
 * Zoo bugs of UFFDIO_WRITEPROTECT (issue 15, row I02): each a plausible kernel change that breaks
 * UFD-20 on a guest_memfd mapping (the memfd control keeps correct shmem behaviour), with its
 * shortest counterexample (G = createGmem on vm 0 with fd 0, MI = MMAP|INIT_SHARED; U = uffdCreate).
 * Spread into ./bugs.ts's BUGS.
 */
export const UFFDWP_BUGS = [
  // createVm; G(MI); mmap; U(0); uffdWriteProtect(0, P, WP) → ENOENT expected (no WP registration), ok with the bug.
  { id: 'uffdwp-gmem-any-vma', description: 'UFFDIO_WRITEPROTECT accepts a gmem VMA that is not registered for WP', domain: 'uffd', rule: 'UFD-20', needs: '', shortest: 5 },
  // createVm; G(MI); mmap; U(0); uffdWriteProtect(0, P, WP|DONTWAKE) → EINVAL expected, ENOENT (the VMA walk) with the bug.
  { id: 'uffdwp-gmem-wp-dontwake', description: 'UFFDIO_WRITEPROTECT lets WP|DONTWAKE through to the VMA walk on a gmem range (the mode check is skipped)', domain: 'uffd', rule: 'UFD-20', needs: '', shortest: 5 },
  // createVm; G(MI); mmap; U(0); uffdWriteProtect(0, 1, WP) → EINVAL expected, ENOENT with the bug.
  { id: 'uffdwp-gmem-len-rounded', description: 'UFFDIO_WRITEPROTECT rounds a gmem range\'s length up to a page instead of refusing it', domain: 'uffd', rule: 'UFD-20', needs: '', shortest: 5 },
] as const;
