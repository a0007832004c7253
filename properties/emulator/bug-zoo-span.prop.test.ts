/**
 * The range-spanning zoo (adapters/emulator/bugs-span.ts): with each planted bug switched on, the
 * mmap property must fail, shrink the counterexample to its shortest known length and name its
 * rule (MAP-26 through spanRange; FIO-11 through the load of the page the span should have punched, or MAP-38 through its smaps, as the draw goes).
 */
import { SPAN_BUGS } from '../../adapters/emulator/bugs-span.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: range ops spanning a gmem VMA and an anonymous one', SPAN_BUGS, [1, 2, 3]);
