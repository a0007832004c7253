/**
 * Exploration: generated cases run on both sides; every difference is recorded by key with where
 * fast-check generated it (seed and run index = a replay path), keeping the few shortest cases per
 * key as starting points for shrinking. The property never fails here: one run finds all keys.
 * Cases come from the same arbitrary as the conformance property's (models/generate/case.ts).
 */
import fc from 'fast-check';
import { caseArb, type CaseShape } from '../generate/case.js';
import type { RunStats } from '../stats.js';
import type { DualStop } from './dual.js';
import { runCase, type DiffPair } from './pair.js';

/** A case shape named by its mix (the report groups differences by it). */
export interface DiffShape extends CaseShape {
  readonly mixName: string;
}

export interface Candidate {
  readonly shape: DiffShape;
  readonly seed: number;
  readonly path: string;
  /** Steps up to the difference: the shorter, the better a starting point. */
  readonly length: number;
}

export interface Exploration {
  /** Per difference key, the shortest cases found (at most `keep`), and how many cases showed it. */
  readonly candidates: Map<string, { found: number; best: Candidate[] }>;
  sequences: number;
  compared: number;
  /** How the cases ended (a side failing its own spec is worth knowing: it hides later steps). */
  readonly stops: Map<DualStop, number>;
}

export const newExploration = (): Exploration => ({ candidates: new Map(), sequences: 0, compared: 0, stops: new Map() });

export const explore = async (
  pair: DiffPair, shape: DiffShape, run: { readonly numRuns: number; readonly seed: number; readonly keep: number },
  into: Exploration, stats: { readonly a: RunStats; readonly b: RunStats },
): Promise<void> => {
  let index = 0;
  const prop = fc.asyncProperty(caseArb(shape), async ([templates, targetSeed]) => {
    const path = String(index++);
    const r = await runCase(pair, templates, targetSeed, stats);
    into.sequences++;
    into.compared += r.compared;
    into.stops.set(r.stop, (into.stops.get(r.stop) ?? 0) + 1);
    for (const d of r.differences) {
      const entry = into.candidates.get(d.key) ?? { found: 0, best: [] };
      entry.found++;
      entry.best = [...entry.best, { shape, seed: run.seed, path, length: d.index + 1 }]
        .sort((x, y) => x.length - y.length)
        .slice(0, run.keep);
      into.candidates.set(d.key, entry);
    }
  });
  const details = await fc.check(prop, { numRuns: run.numRuns, seed: run.seed });
  // The property cannot fail, so a failure here is the harness breaking (a target threw).
  if (details.failed) throw details.errorInstance instanceof Error ? details.errorInstance : new Error(String(details.errorInstance));
};
