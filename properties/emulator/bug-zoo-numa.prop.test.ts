/**
 * The NUMA zoo (adapters/emulator/bugs-numa.ts): with each planted bug of get_mempolicy's flags word
 * or numa_maps switched on, the mempolicy property must fail, shrink the counterexample to its
 * shortest known length and name a rule. These bugs are reached only through the new ops
 * (getMempolicyFlags, numaMaps), so a kill here shows those ops testing what they claim.
 */
import { NUMA_BUGS } from '../../adapters/emulator/bugs-numa.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: the NUMA ops', NUMA_BUGS);
