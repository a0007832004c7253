/**
 * `diff` for one pair of sides: explore every chosen op mix with the same seeds on both sides,
 * then shrink each difference key to its shortest distinguishing sequence.
 */
import { MIXED, MIXES, type Mix } from '../generate/mixes.js';
import { RunStats } from '../stats.js';
import type { Difference, DualStop } from './dual.js';
import { explore, newExploration, type CaseShape } from './explore.js';
import { pairExcluded, sharesTarget, type DiffPair } from './pair.js';
import { shortestFor } from './shrink.js';

export interface NamedMix {
  readonly name: string;
  readonly mix: Mix;
}

/** Every domain's mix plus the long mixed one: a difference anywhere in the vocabulary shows up. */
export const ALL_MIXES: readonly NamedMix[] = [
  ...Object.entries(MIXES).map(([name, mix]) => ({ name, mix })),
  { name: 'mixed', mix: MIXED },
];

export interface DiffOptions {
  readonly mixes: readonly NamedMix[];
  /** Generated cases per mix. */
  readonly numRuns: number;
  readonly maxLength: number;
  readonly seed: number;
  /** Shrink starting points per key (the shortest found). */
  readonly keep: number;
  readonly shrinkTimeLimitMs: number;
  readonly onProgress?: (line: string) => void;
}

export interface RuleDiff {
  readonly key: string;
  /** How many generated cases showed this difference. */
  readonly found: number;
  readonly difference: Difference;
}

export interface DiffReport {
  readonly a: string;
  readonly b: string;
  readonly sharedTarget: boolean;
  readonly sequences: number;
  readonly compared: number;
  readonly stops: ReadonlyMap<DualStop, number>;
  readonly seed: number;
  readonly stats: { readonly a: RunStats; readonly b: RunStats };
  readonly diffs: readonly RuleDiff[];
}

export const diffPair = async (pair: DiffPair, o: DiffOptions): Promise<DiffReport> => {
  const stats = { a: new RunStats(), b: new RunStats() };
  const found = newExploration();
  const excluded = pairExcluded(pair);
  for (const [i, m] of o.mixes.entries()) {
    const shape: CaseShape = { mixName: m.name, mix: m.mix, maxLength: o.maxLength, excluded };
    await explore(pair, shape, { numRuns: o.numRuns, seed: o.seed + i, keep: o.keep }, found, stats);
    o.onProgress?.(`explored ${m.name}: ${found.candidates.size} difference(s) so far`);
  }
  const diffs: RuleDiff[] = [];
  for (const [key, { found: n, best }] of [...found.candidates].sort(([x], [y]) => x.localeCompare(y))) {
    const d = await shortestFor(pair, key, best, { timeLimitMs: o.shrinkTimeLimitMs });
    o.onProgress?.(`shrunk ${key}: ${d ? `${d.index + 1} step(s)` : 'not reproducible'}`);
    if (d) diffs.push({ key, found: n, difference: d });
  }
  return {
    a: pair.a.label, b: pair.b.label, sharedTarget: sharesTarget(pair), sequences: found.sequences,
    compared: found.compared, stops: found.stops, seed: o.seed, stats, diffs,
  };
};
