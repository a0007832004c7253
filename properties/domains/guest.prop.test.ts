/** LVL / SLOT-13,14: guest accesses and guest mapping level (kernel-rules.md §2.4, §2.8). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('guest', ['linux-6.18', 'upstream']);
