/** FIO: fallocate, punch hole, read/write, seek, truncate (kernel-rules.md §2.2). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('fileops', {
  claim: 'fallocate and punch hole follow mode, alignment and range rules; file I/O calls fail as documented',
  emulatorProfiles: ['linux-6.18', 'upstream', 'write-v6'],
  numRuns: 100,
  maxLength: 40,
});
