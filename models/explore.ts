/**
 * Keep going: one property's search that does not stop at the first failure. A failure is
 * shrunk and recorded (models/findings.ts), then the search goes on with that failure suppressed,
 * until the runs or the time are spent or the run has found as many distinct failures as it may.
 * Failures already found (in this property or an earlier one of the run) are suppressed from the
 * start; failures of rules the run does not judge (`--rule`) are deviations, never failures.
 *
 * Segments: the search is a series of fast-check runs. The first uses the property's seed; after
 * each failure (and, under a time budget, after each batch) the next starts from a seed derived
 * from it, so the same --seed reruns the same segments.
 */
import type { Failure, FailureKey } from './lockstep.js';
import { failureKey } from './lockstep.js';
import type { Finding, Findings } from './findings.js';
import { searchFailure, shrinkFailure, type ConformanceOptions } from './property.js';
import { RunStats } from './stats.js';

export interface ExploreOptions extends Omit<ConformanceOptions, 'judged' | 'onDeviations' | 'onFailure'> {
  /** The property's name, recorded with what it finds. */
  readonly domain: string;
  readonly findings: Findings;
  /** May a failure of this key fail the run (`--rule ID`)? Default: every key. */
  readonly selected?: (k: FailureKey) => boolean;
  /** The whole run stops once it has this many distinct failures (`--max-failures N`, `--stop-at-first` = 1). */
  readonly maxFailures?: number;
  /** A new failure: its first case at once, its shrunk case when shrinking ended. */
  readonly onFailure?: (f: Finding, phase: 'first' | 'shrunk') => void;
}

export interface ExploreBudget {
  readonly seed: number;
  /** Cases to run in all (failing and suppressed ones included); or, without it, until `deadline`. */
  readonly numRuns?: number;
  readonly deadline?: number;
}

export type StopReason = 'runs' | 'time' | 'max-failures' | 'interrupted';

/** Cases per fast-check run under a time budget; each batch gets its own seed. */
export const BATCH = 25;

/** The seed of segment k of a property whose seed is `seed` (k = 0: the seed itself). */
export const segmentSeed = (seed: number, k: number): number => (seed + k * 104729) | 0;

export const explore = async (o: ExploreOptions, budget: ExploreBudget, stats = new RunStats()): Promise<StopReason> => {
  const { findings } = o;
  const selected = o.selected ?? (() => true);
  const full = () => o.maxFailures !== undefined && findings.all.length >= o.maxFailures;
  let remaining = budget.numRuns;
  let current: Finding | undefined;
  const options: ConformanceOptions = {
    ...o,
    judged: (k) => selected(k) && findings.get(k) === undefined,
    onDeviations: (ds) => findings.saw(ds, o.domain),
    onFailure: (f: Failure, phase, targetSeed) => {
      if (phase === 'first') {
        current = findings.add(f, failureKey(f), { seed: 0, targetSeed }, o.domain);
        o.onFailure?.(current, 'first');
      }
    },
  };
  // Under a time budget a segment of the emulator can take a few milliseconds, all of it
  // microtasks: let the event loop run between segments too, or Ctrl-C would never be delivered.
  let yielded = Date.now();
  for (let k = 0; ; k++) {
    if (o.signal !== undefined && Date.now() - yielded >= 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      yielded = Date.now();
    }
    if (o.signal?.aborted) return 'interrupted';
    if (full()) return 'max-failures';
    if (remaining !== undefined && remaining <= 0) return 'runs';
    if (remaining === undefined && Date.now() >= (budget.deadline ?? 0)) return 'time';
    const numRuns = remaining ?? BATCH;
    current = undefined;
    const r = await searchFailure(options, { numRuns, seed: segmentSeed(budget.seed, k) }, stats);
    if (remaining !== undefined) remaining -= Math.max(r.runs, 1);
    if (r.found === undefined) {
      if (o.signal?.aborted) return 'interrupted';
      if (remaining !== undefined) return 'runs';
      continue;
    }
    const finding = current ?? findings.add(r.found.failure, failureKey(r.found.failure), r.found, o.domain);
    finding.at = r.found;
    const shrunk = await shrinkFailure(options, r.found, stats);
    finding.failure = shrunk.failure;
    finding.at = shrunk;
    finding.shrunk = !o.signal?.aborted;
    o.onFailure?.(finding, 'shrunk');
  }
};
