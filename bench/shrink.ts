/**
 * Shrinking: how long the suite needs from a planted failure buried in a ~1,000-operation sequence
 * to its report, with an emulator bug switched on. This is the real pipeline (checkConformance:
 * fast-check's shrink within its run budget, then models/minimise.ts). The seed is chosen so that
 * the very first generated case is at least 950 ops long and fails; the sequence arbitrary has no
 * minimum length, so shrinking is free to go all the way down.
 */
import fc from 'fast-check';
import { createEmulator } from '../adapters/emulator/index.js';
import { EMULATOR_LIMITS } from '../models/generate/context.js';
import { MIXED } from '../models/generate/mixes.js';
import { lockstep } from '../models/lockstep.js';
import { checkConformance, conformanceProperty, ConformanceError, resolveTemplates, type ConformanceOptions } from '../models/property.js';
import { SPEC } from '../models/spec-api.js';
import { RunStats } from '../models/stats.js';
import { linux618 } from '../spec/profiles/index.js';
import { now } from './measure.js';

export interface ShrinkResult {
  readonly bug: string;
  readonly firstLength: number;
  /** Where the first case failed (1-based step). */
  readonly firstFailingStep: number;
  readonly shrunkLength: number;
  readonly ms: number;
  readonly runs: number;
}

const options = (bug: string, count: () => void): ConformanceOptions => ({
  profile: linux618, mix: MIXED, maxLength: 1000, limits: EMULATOR_LIMITS,
  makeTarget: async (seed) => { count(); return createEmulator({ profile: linux618, seed, bugs: [bug] }); },
});

export const shrinkPlanted = async (bug: string): Promise<ShrinkResult> => {
  // The first case of a run with seed s is the first sample of the property's own arbitrary.
  const prop = conformanceProperty(options(bug, () => {}), new RunStats());
  let seed = 1;
  let firstLength = 0;
  let firstFailingStep = 0;
  for (;; seed++) {
    // The property's one argument is the case (models/generate/case.ts): [templates, target seed].
    const [[[templates, targetSeed]]] = fc.sample(prop, { seed, numRuns: 1 }) as unknown as [[[Parameters<typeof resolveTemplates>[0], number]]];
    if (templates.length < 950) continue;
    const ops = resolveTemplates(templates, EMULATOR_LIMITS, linux618);
    const r = await lockstep(SPEC, linux618, createEmulator({ profile: linux618, seed: targetSeed, bugs: [bug] }), ops);
    if (r.failure) {
      firstLength = templates.length;
      firstFailingStep = r.failure.index + 1;
      break;
    }
  }
  let runs = 0;
  const t0 = now();
  try {
    await checkConformance(options(bug, () => { runs++; }), { numRuns: 1, seed });
  } catch (e) {
    if (!(e instanceof ConformanceError)) throw e;
    return { bug, firstLength, firstFailingStep, shrunkLength: e.failure.index + 1, ms: now() - t0, runs };
  }
  throw new Error(`bench: the planted ${bug} case of seed ${seed} did not fail in checkConformance`);
};
