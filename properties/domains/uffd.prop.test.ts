/** UFD: userfaultfd registration and fault resolution, with memfd as control backing (kernel-rules.md §2.6). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('uffd', {
  claim: 'uffd registration is refused or served as the profile says; MISSING/MINOR faults resolve with COPY/CONTINUE',
  emulatorProfiles: ['linux-6.18', 'uffd-v2', 'uffd-v2/P-UFFD-WP=ACCEPT', 'uffd-v2/P-UFFD-COPY-EOF=EFAULT'],
  numRuns: 80,
  maxLength: 35,
});
