/** POL: NUMA mempolicy bookkeeping on guest_memfd mappings (docs/rules.md, mempolicy). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('mempolicy', ['linux-6.18', 'upstream', 'upstream/P-POL-QUERY=TASK']);
