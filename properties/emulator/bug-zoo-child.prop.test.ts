/**
 * The forked child's zoo (adapters/emulator/bugs-child.ts): with each planted bug switched on, its
 * domain's property must fail, shrink the counterexample to its shortest known length and name the
 * rule. These bugs are reached only through the `child` op, so a kill here shows the op testing
 * what it claims: what a forked child inherits (MAP-11, MAP-24) and what a conversion refuses it (SHR-5).
 */
import { CHILD_BUGS } from '../../adapters/emulator/bugs-child.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: the forked child and UFFDIO_MOVE', CHILD_BUGS);
