/**
 * The zoo of UFFDIO_POISON (adapters/emulator/bugs-uffdscan.ts): with each planted bug switched on,
 * its domain's property must fail, shrink the counterexample to its shortest known length and name
 * the rule. These bugs are reached only through the `uffdPoison` op, so a kill here shows the op
 * testing what it claims: the mode check and the VMA check (UFD-22, UFD-1) on a gmem range.
 */
import { UFFDSCAN_BUGS } from '../../adapters/emulator/bugs-uffdscan.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: UFFDIO_POISON', UFFDSCAN_BUGS);
