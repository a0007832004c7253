/**
 * The zoo of UFFDIO_WRITEPROTECT (adapters/emulator/bugs-uffdwp.ts): with each planted bug switched
 * on, its domain's property must fail, shrink the counterexample to its shortest known length and
 * name the rule. These bugs are reached only through the `uffdWriteProtect` op, so a kill here
 * shows the op testing what it claims: the VMA check (UFD-20) and the per-page uffd-wp state a
 * store clears and pagemap shows (MAP-39).
 */
import { UFFDWP_BUGS } from '../../adapters/emulator/bugs-uffdwp.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: UFFDIO_WRITEPROTECT', UFFDWP_BUGS);
