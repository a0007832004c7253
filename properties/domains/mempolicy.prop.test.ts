/** POL: NUMA mempolicy bookkeeping on guest_memfd mappings (kernel-rules.md §2.5). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('mempolicy', ['linux-6.18', 'upstream', 'upstream/P-POL-QUERY=TASK']);
