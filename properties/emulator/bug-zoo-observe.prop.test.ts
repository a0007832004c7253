/**
 * The observation zoo (adapters/emulator/bugs-observe.ts): with each planted bug of pagemap or smaps
 * switched on, its domain's property (mmap, lifetime) must fail, shrink the counterexample to its shortest known
 * length and name a rule. These bugs are reached only through the new ops (pagemap, smaps, fdInfo), so a
 * kill here shows the observation ops testing what they claim.
 */
import { OBSERVE_BUGS } from '../../adapters/emulator/bugs-observe.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: the observation ops', OBSERVE_BUGS);
