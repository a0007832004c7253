/** DMAP: direct-map removal (kernel-rules.md §2.7). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('directmap', ['linux-6.18', 'no-direct-map-v12', 'no-direct-map-filemap']);
