/**
 * The shortest distinguishing sequence for one difference key: replay a candidate through
 * fast-check (seed + path) with a property that fails exactly when that key differs, and let
 * fast-check shrink it. The shrunk case is run once more to get the full difference record.
 */
import fc from 'fast-check';
import type { Template } from '../generate/template.js';
import type { Difference } from './dual.js';
import { caseArb } from '../generate/case.js';
import type { Candidate } from './explore.js';
import { runCase, type DiffPair } from './pair.js';

export interface ShrinkBudget {
  /** Wall-clock limit per candidate; shrinking stops with the best case so far. */
  readonly timeLimitMs: number;
}

export const shrinkKey = async (pair: DiffPair, key: string, c: Candidate, budget: ShrinkBudget): Promise<Difference | undefined> => {
  const prop = fc.asyncProperty(caseArb(c.shape), async ([templates, seed]) => {
    const r = await runCase(pair, templates, seed);
    return !r.differences.some((d) => d.key === key);
  });
  const details = await fc.check(prop, {
    seed: c.seed, path: c.path, numRuns: 1, endOnFailure: false,
    interruptAfterTimeLimit: budget.timeLimitMs, markInterruptAsFailure: false,
  });
  // The property has one argument (the case tuple), so the counterexample is [[templates, seed]].
  const ce = (details.counterexample as [[Template[], number]] | null)?.[0];
  if (!details.failed || !ce) return undefined;
  const r = await runCase(pair, ce[0], ce[1]);
  return r.differences.find((d) => d.key === key);
};

/** Shrinks every candidate of a key and keeps the shortest result. */
export const shortestFor = async (pair: DiffPair, key: string, cs: readonly Candidate[], budget: ShrinkBudget): Promise<Difference | undefined> => {
  let best: Difference | undefined;
  for (const c of cs) {
    const d = await shrinkKey(pair, key, c, budget);
    if (d && (!best || d.index < best.index)) best = d;
  }
  return best;
};
