/** UFD: userfaultfd registration and fault resolution, with memfd as control backing (docs/rules.md, uffd). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('uffd', ['linux-6.18', 'uffd-v2', 'uffd-v2/P-UFFD-WP=ACCEPT', 'uffd-v2/P-UFFD-COPY-EOF=EFAULT']);
