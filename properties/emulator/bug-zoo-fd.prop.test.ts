/**
 * The fd-level zoo (adapters/emulator/bugs-fd.ts): with each planted bug of the fd-level calls
 * switched on, the fileops property must fail, shrink the counterexample to its shortest known
 * length and name a rule. These bugs are reached only through the new ops (lseek, fileIoV, fdMeta,
 * fcntl, spliceLike, fdReach), so a kill here shows the widened vocabulary testing what it claims.
 */
import { FD_BUGS } from '../../adapters/emulator/bugs-fd.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: the fd-level calls', FD_BUGS);
