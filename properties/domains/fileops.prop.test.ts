/** FIO: fallocate, punch hole, read/write, seek, truncate (docs/rules.md, fileops). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('fileops', ['linux-6.18', 'upstream', 'write-v6']);
