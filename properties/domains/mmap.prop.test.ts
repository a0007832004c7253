/** MAP: mmap, host faults, data persistence, madvise, GUP and mincore (kernel-rules.md §2.3). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('mmap', ['linux-6.18', 'upstream', 'linux-6.18/P-VMA-EXPAND=DENY']);
