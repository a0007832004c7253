/**
 * Hunts one race bug of the zoo: the parallel property on the emulator with the bug switched on,
 * under the bug's profile, until a counterexample is found, shrunk and minimised, or the budget
 * ends (a bug not found in time survives, never an error). The shrunk length counts every op of
 * the case, prefix and branches.
 */
import type { BuggyTargets } from './hunt.js';
import { resolveProfile } from '../../spec/profiles/index.js';
import { EMULATOR_LIMITS } from '../generate/context.js';
import { checkParallel, ParallelConformanceError } from '../parallel/property.js';
import { caseOps } from '../parallel/case.js';
import { runCase } from '../parallel/run.js';
import type { BranchStep } from '../parallel/linearize.js';
import { SPEC } from '../spec-api.js';
import { canRunBranches } from '../../spec/vocab/target.js';
import { stringify } from '../../spec/vocab/codec.js';

const outcomesText = (bs: readonly (readonly BranchStep[])[]): string => stringify(bs.map((b) => b.map((s) => s.observed)));

export interface PlantedRace {
  readonly id: string;
  readonly profile: string;
}

/** Targets with the race bug on (the same shape as the sequential zoo's). */
export type BuggyRaceTargets = BuggyTargets;

export interface RaceHuntResult<B extends PlantedRace = PlantedRace> {
  readonly bug: B;
  readonly killed: boolean;
  readonly msToFirst: number | null;
  readonly shrunkLength: number | null;
  /** The rules the unexplained point's verdict named (first: the most specific). */
  readonly rules: readonly string[];
  /**
   * The shrunk case ran again from what its gmp1. token carries (the case, the recorded schedule,
   * the target seed, the bug) and gave the same outcomes, still unexplained.
   */
  readonly replays?: boolean;
  readonly error?: string;
}

export const huntRace = async <B extends PlantedRace>(bug: B, targets: BuggyRaceTargets, seed: number, timeLimitMs: number): Promise<RaceHuntResult<B>> => {
  const profile = resolveProfile(bug.profile);
  const t0 = performance.now();
  let msToFirst: number | null = null;
  try {
    await checkParallel(
      {
        profile, limits: EMULATOR_LIMITS, scheduled: true, makeTarget: targets(profile, bug.id),
        onFailure: (_f, phase) => { if (phase === 'first') msToFirst = performance.now() - t0; },
      },
      { numRuns: 1_000_000, seed, timeLimitMs },
    );
    return { bug, killed: false, msToFirst: null, shrunkLength: null, rules: [] };
  } catch (e) {
    if (e instanceof ParallelConformanceError) {
      const f = e.failure;
      if (f.kind === 'sequential') return { bug, killed: false, msToFirst, shrunkLength: null, rules: [], error: 'the prefix failed sequentially: not a race' };
      const p = f.failure;
      const rules = [...new Set(p.lin.blocked.flatMap((b) => b.rules ?? []))].filter((r) => !r.startsWith('GEN-UFFD-BLOCKING') && !r.startsWith('GEN-FAULT-SPLIT'));
      const target = await targets(profile, bug.id)(p.targetSeed);
      let replays = false;
      try {
        if (p.schedule !== undefined && canRunBranches(target)) {
          const again = await runCase(SPEC, profile, target, p.case, { schedule: p.schedule });
          replays = again.lin?.ok === false && outcomesText(again.branches) === outcomesText(p.branches);
        }
      } finally {
        await target.close();
      }
      return { bug, killed: true, msToFirst, shrunkLength: caseOps(p.case), rules, replays };
    }
    return { bug, killed: false, msToFirst, shrunkLength: null, rules: [], error: String(e) };
  }
};
