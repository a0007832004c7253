/**
 * Zoo bugs of guard markers (MAP-30, issue 15): plausible kernel changes that break the marker's
 * contract on a guest_memfd mapping, with their shortest counterexamples (G = createGmem on vm 0
 * with fd 0, MI = MMAP|INIT_SHARED). Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const GUARD_BUGS = [
  // createVm; G(MI); mmap; store 5; madvise(GUARD_INSTALL, 0, P); load 0 → SIGSEGV expected, 5 with the bug.
  { id: 'guard-install-keeps-pte', description: 'MADV_GUARD_INSTALL skips the zap on a gmem VMA: a page already mapped stays accessible under its marker', domain: 'mmap', rule: 'MAP-30', needs: '', shortest: 6 },
  // createVm; G(MMAP, private); mmap; madvise(GUARD_INSTALL); load 0 → SIGSEGV expected, SIGBUS with the bug.
  { id: 'guard-after-gmem-fault', description: "guest_memfd's fault checks shareability and EOF before the guard marker: SIGBUS instead of SIGSEGV", domain: 'mmap', rule: 'MAP-30', needs: '', shortest: 5 },
  // createVm; G(MI); mmap; madvise(GUARD_INSTALL); punch; load 0 → SIGSEGV expected (no mapping maps the folio), 0 with the bug.
  { id: 'gmem-punch-drops-guards', description: "guest_memfd's punch hole drops every guard marker of the range, even where no mapping maps the folio", domain: 'mmap', rule: 'MAP-30', needs: '', shortest: 6 },
] as const satisfies readonly BugInfo[];
