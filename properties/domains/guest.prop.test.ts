/** LVL / SLOT-13,14: guest accesses and guest mapping level (docs/rules.md, memslot, guest). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('guest', ['linux-6.18', 'upstream']);
