/** POL: NUMA mempolicy bookkeeping on guest_memfd mappings (kernel-rules.md §2.5). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('mempolicy', {
  claim: 'mbind/get_mempolicy round-trip with the profile’s policy scope and never report the task policy',
  emulatorProfiles: ['linux-6.18', 'upstream', 'upstream/P-POL-QUERY=TASK'],
  numRuns: 100,
  maxLength: 35,
});
