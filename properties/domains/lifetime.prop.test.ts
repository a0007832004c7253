/** LIFE: lifetimes of files, mappings, VMs and bindings (docs/rules.md, lifetime, SLOT-11/12). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('lifetime', ['linux-6.18', 'upstream']);
