/** DMAP: direct-map removal (docs/rules.md, directmap). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('directmap', ['linux-6.18', 'no-direct-map-v12', 'no-direct-map-filemap']);
