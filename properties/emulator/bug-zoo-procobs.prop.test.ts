/**
 * The procfs query ioctls' zoo (adapters/emulator/bugs-procobs.ts): with each planted bug of
 * PAGEMAP_SCAN or PROCMAP_QUERY switched on, its domain's property (mmap) must fail, shrink the
 * counterexample to its shortest known length and name a rule. These bugs are reached only through
 * pagemapScan and procmapQuery, so a kill here shows those ops testing what they claim.
 */
import { PROCOBS_BUGS } from '../../adapters/emulator/bugs-procobs.js';
import { describeZoo } from '../_support/zoo.js';

// Seeds 1-3: on seed 1 fast-check's shrinker stopped scan-no-merge at 5 ops, one above its 4-op minimum
// (a local minimum; the other bugs shrink fully on seed 1).
describeZoo('bug zoo: the procfs query ioctls', PROCOBS_BUGS, [1, 2, 3]);
