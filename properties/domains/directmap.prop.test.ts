/** DMAP: direct-map removal (kernel-rules.md §2.7). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('directmap', {
  claim: 'NO_DIRECT_MAP is refused where not advertised; with it, GUP fails and write() obeys the granularity variant',
  emulatorProfiles: ['linux-6.18', 'no-direct-map-v12', 'no-direct-map-filemap'],
  numRuns: 80,
  maxLength: 35,
});
