/**
 * The proposed series' zoo (adapters/emulator/bugs-series.ts): with each planted bug switched on,
 * its domain's property must fail, shrink to the recorded shortest counterexample and name the
 * rule. A kill here shows the write() population loop (FIO-29) and mlock under NO_DIRECT_MAP
 * (DMAP-21) tested as the series code does them.
 */
import { SERIES_BUGS } from '../../adapters/emulator/bugs-series.js';
import { describeZoo } from '../_support/zoo.js';

describeZoo('bug zoo: the proposed series (write() loop, mlock under NO_DIRECT_MAP)', SERIES_BUGS);
