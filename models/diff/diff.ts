/**
 * `diff` for one pair of sides: explore every chosen op mix with the same seeds on both sides,
 * then shrink each difference key to its shortest distinguishing sequence.
 */
import { MIXED, MIXES, type Mix } from '../generate/mixes.js';
import { RunStats } from '../stats.js';
import type { Difference, DualStop } from './dual.js';
import { explore, newExploration, type DiffShape } from './explore.js';
import { pairExcluded, runOps, sharesTarget, type DiffPair } from './pair.js';
import type { Op } from '../../spec/vocab/index.js';
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

/** Several mixes as one, weights added: for differences that need ops from more than one domain. */
export const sumMixes = (ms: readonly NamedMix[]): NamedMix => {
  const mix: Partial<Record<keyof Mix, number>> = {};
  for (const m of ms) for (const [k, w] of Object.entries(m.mix) as [keyof Mix, number][]) mix[k] = (mix[k] ?? 0) + w;
  return { name: ms.map((m) => m.name).join('+'), mix };
};

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
  /** Sequences shrunk by fast-check (generated), or run as given (--ops). */
  readonly shrunk: boolean;
  readonly seed: number;
  readonly stats: { readonly a: RunStats; readonly b: RunStats };
  readonly diffs: readonly RuleDiff[];
}

export const diffPair = async (pair: DiffPair, o: DiffOptions): Promise<DiffReport> => {
  const stats = { a: new RunStats(), b: new RunStats() };
  const found = newExploration();
  const excluded = pairExcluded(pair);
  for (const [i, m] of o.mixes.entries()) {
    const shape: DiffShape = { mixName: m.name, mix: m.mix, maxLength: o.maxLength, excluded };
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
    compared: found.compared, stops: found.stops, shrunk: true, seed: o.seed, stats, diffs,
  };
};

/**
 * One given sequence (e.g. from a replay token) on both sides, without generation or shrinking:
 * for differences the generators rarely reach, such as P-UFFD-PRIV, which needs a SW_PROTECTED VM,
 * a uffd registration and a conversion before the access that tells the answers apart.
 */
export const diffOps = async (pair: DiffPair, ops: readonly Op[], seed: number): Promise<DiffReport> => {
  const stats = { a: new RunStats(), b: new RunStats() };
  const r = await runOps(pair, ops, seed, stats);
  return {
    a: pair.a.label, b: pair.b.label, sharedTarget: sharesTarget(pair), sequences: 1, compared: r.compared,
    stops: new Map([[r.stop, 1]]), shrunk: false, seed, stats,
    diffs: r.differences.map((difference) => ({ key: difference.key, found: 1, difference })),
  };
};
