/**
 * The ranged-mprotect zoo (adapters/emulator/bugs-mprot.ts): with each planted bug of
 * do_mprotect_pkey on a gmem VMA switched on, the mmap property must fail, shrink the
 * counterexample to its shortest known length and name its rule. These bugs are reached only
 * through mprotectRange, so a kill here shows the op testing what it claims.
 */
import { MPROT_BUGS } from '../../adapters/emulator/bugs-mprot.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: ranged mprotect', MPROT_BUGS);
