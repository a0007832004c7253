/**
 * The fd-level zoo (adapters/emulator/bugs-fd2.ts): with each planted bug of the rest of the fd-level calls
 * switched on, the fileops property must fail, shrink the counterexample to its shortest known
 * length and name a rule. These bugs are reached only through the new ops (fdDup, fdIoctl, fdAdvise,
 * fdPoll), so a kill here shows the widened vocabulary testing what it claims.
 */
import { FD2_BUGS } from '../../adapters/emulator/bugs-fd2.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: the rest of the fd-level calls', FD2_BUGS);
