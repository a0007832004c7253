/** CRE: creation, flag and size validation, fd identity (docs/rules.md, creation). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('creation', ['linux-6.18', 'upstream', 'no-direct-map-v12', 'conversion-v8', 'linux-6.18/P-RESERVED=MUST-BE-ZERO']);
