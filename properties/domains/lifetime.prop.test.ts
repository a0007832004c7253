/** LIFE: lifetimes of files, mappings, VMs and bindings (kernel-rules.md §2.9, SLOT-11/12). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('lifetime', ['linux-6.18', 'upstream']);
