/**
 * The VMA-naming and populate-permission zoo (adapters/emulator/bugs-mremap.ts): with each planted
 * bug switched on, the mmap property must fail, shrink the counterexample to its shortest known
 * length and name its rule (MAP-25 through setVmaName, MAP-29 through MADV_POPULATE_*).
 */
import { MREMAP_BUGS } from '../../adapters/emulator/bugs-mremap.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: VMA naming, populate permissions and mremap', MREMAP_BUGS, [1, 2, 3]);
