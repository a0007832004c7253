/**
 * The zoo of copyRange (adapters/emulator/bugs-convcopy.ts): with each planted bug switched on, the
 * fileops property must fail, shrink the counterexample to its shortest known length and name the
 * rule. These bugs are reached only through copy_file_range between two files of the sequence.
 */
import { CONVCOPY_BUGS } from '../../adapters/emulator/bugs-convcopy.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: copy_file_range within one file and between two', CONVCOPY_BUGS);
