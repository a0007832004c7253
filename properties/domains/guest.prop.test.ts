/** LVL / SLOT-13,14: guest accesses and guest mapping level (kernel-rules.md §2.4, §2.8). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('guest', {
  claim: 'guest accesses see the backing the profile names and map gmem at 4K',
  emulatorProfiles: ['linux-6.18', 'upstream'],
  numRuns: 60,
  maxLength: 30,
  requires: ['guestAccess', 'guestMapLevel'],
});
