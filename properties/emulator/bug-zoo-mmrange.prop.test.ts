/**
 * The partial-munmap zoo (adapters/emulator/bugs-mmrange.ts): with each planted bug of the VMA split
 * switched on, the mmap property must fail, shrink the counterexample to its shortest known length
 * and name MAP-20. These bugs are reached only through munmapPart, so a kill here shows the op
 * testing what it claims.
 */
import { MMRANGE_BUGS } from '../../adapters/emulator/bugs-mmrange.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: partial munmap', MMRANGE_BUGS);
