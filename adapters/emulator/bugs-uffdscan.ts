/**
 * Zoo bugs of UFFDIO_POISON (issue 15, row I05): each a plausible kernel change that breaks UFD-22
 * on a guest_memfd mapping (the memfd control keeps correct shmem behaviour), with its shortest
 * counterexample (G = createGmem on vm 0 with fd 0, MI = MMAP|INIT_SHARED; U = uffdCreate).
 * Spread into ./bugs.ts's BUGS.
 */
export const UFFDSCAN_BUGS = [
  // createVm; G(MI); mmap; U(0); uffdPoison(0, P, mode 2) → EINVAL expected, ENOENT (no registration) with the bug.
  { id: 'poison-gmem-mode-unchecked', description: 'UFFDIO_POISON lets unknown mode bits through to the VMA lookup on a gmem range', domain: 'uffd', rule: 'UFD-22', needs: '', shortest: 5 },
  // createVm; G(MI); mmap; U(WP_ASYNC); uffdRegister(WP); uffdPoison(0, P) → EINVAL expected (no fill operations on 6.18), ok with the bug.
  { id: 'poison-gmem-accepted', description: 'UFFDIO_POISON installs poison markers in a gmem VMA that has no userfaultfd fill operations (6.18)', domain: 'uffd', rule: 'UFD-1', needs: '', shortest: 6 },
] as const;
