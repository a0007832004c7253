/** LIFE: lifetimes of files, mappings, VMs and bindings (kernel-rules.md §2.9, SLOT-11/12). */
import { domainSuite } from '../_support/domain-suite.js';

domainSuite('lifetime', {
  claim: 'files live while an fd or mapping refers to them; closing the VM or a bound fd keeps what the rules say',
  emulatorProfiles: ['linux-6.18', 'upstream'],
  numRuns: 80,
  maxLength: 35,
});
