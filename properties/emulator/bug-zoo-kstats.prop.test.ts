/**
 * The zoo of KVM's binary statistics (adapters/emulator/bugs-kstats.ts): with each planted bug
 * switched on, its domain's property must fail, shrink the counterexample to its shortest known
 * length and name LVL-10. These bugs are reached only through kvmStats, so a kill here shows the
 * op testing what it claims.
 */
import { KSTATS_BUGS } from '../../adapters/emulator/bugs-kstats.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: KVM binary statistics', KSTATS_BUGS);
