/** SLOT: memslot binding of guest_memfd ranges (kernel-rules.md §2.4). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('memslot', {
  claim: 'KVM_SET_USER_MEMORY_REGION2 binds, refuses overlaps and keeps gmem slots immutable',
  emulatorProfiles: ['linux-6.18', 'upstream'],
  numRuns: 100,
  maxLength: 30,
});
