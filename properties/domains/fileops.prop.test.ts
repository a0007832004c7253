/** FIO: fallocate, punch hole, read/write, seek, truncate (kernel-rules.md §2.2). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('fileops', ['linux-6.18', 'upstream', 'write-v6']);
