/** MAP: mmap, host faults, data persistence, madvise, GUP and mincore (docs/rules.md, mmap). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('mmap', ['linux-6.18', 'upstream', 'linux-6.18/P-VMA-EXPAND=DENY']);
