/**
 * The zoo of round 4's fd and memslot calls (adapters/emulator/bugs-kvmfd.ts): with each planted bug
 * switched on, its domain's property must fail, shrink the counterexample to its shortest known
 * length and name the rule. These bugs are reached only through the new ops, so a kill here shows
 * the widened vocabulary testing what it claims.
 */
import { KVMFD_BUGS } from '../../adapters/emulator/bugs-kvmfd.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: inotify, copy_file_range, execveat, dirty logs, memslot pads', KVMFD_BUGS);
