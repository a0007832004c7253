/** SLOT: memslot binding of guest_memfd ranges (kernel-rules.md §2.4). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('memslot', ['linux-6.18', 'upstream']);
