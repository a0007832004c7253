/** SHR: shareability and in-place conversion (kernel-rules.md §2.3 SHR-*). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('shareability', {
  claim: 'conversion is absent (ENOTTY) or converts ranges, and private pages refuse host faults',
  emulatorProfiles: ['linux-6.18', 'conversion-v8', 'init-private-rfc', 'conversion-v8/P-CONV-CONTENT=ZERO'],
  numRuns: 80,
  maxLength: 35,
});
