/** SLOT: memslot binding of guest_memfd ranges (docs/rules.md, memslot). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('memslot', ['linux-6.18', 'upstream']);
