/** SHR: shareability and in-place conversion (docs/rules.md, shareability). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('shareability', ['linux-6.18', 'conversion-v8', 'init-private-rfc', 'conversion-v8/P-CONV-CONTENT=ZERO']);
