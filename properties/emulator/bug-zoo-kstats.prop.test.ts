/**
 * The zoo of KVM's binary statistics and kpageflags (adapters/emulator/bugs-kstats.ts): with each planted bug
 * switched on, its domain's property must fail, shrink the counterexample to its shortest known
 * length and name the rule (LVL-10, MAP-41). These bugs are reached only through kvmStats and
 * kpageFlags, so a kill here shows the ops testing what they claim.
 */
import { KSTATS_BUGS } from '../../adapters/emulator/bugs-kstats.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: KVM binary statistics and kpageflags', KSTATS_BUGS);
