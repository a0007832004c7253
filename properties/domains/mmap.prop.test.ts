/** MAP: mmap, host faults, data persistence, madvise, GUP and mincore (kernel-rules.md §2.3). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('mmap', {
  claim: 'host mappings fault, persist and refuse exactly as the shareability and EOF rules say',
  emulatorProfiles: ['linux-6.18', 'upstream', 'linux-6.18/P-VMA-EXPAND=DENY'],
  numRuns: 100,
  maxLength: 40,
});
