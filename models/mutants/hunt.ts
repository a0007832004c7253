/**
 * Hunts one zoo bug: runs its domain's property on the emulator with the bug switched on until
 * fast-check finds and shrinks a counterexample, or the run budget ends. Reports whether the bug
 * was killed, how fast, the shrunk length and the rule the report named.
 */
import type { Profile, PropertyDomain, TargetFactory } from '../../spec/vocab/index.js';
import { EMULATOR_LIMITS } from '../generate/context.js';
import { MIXES } from '../generate/mixes.js';
import { checkConformance, ConformanceError } from '../property.js';
import { profileForBug } from './bug-profile.js';

/** A planted bug as the hunt needs it (the emulator's bug zoo entries have this shape). */
export interface PlantedBug {
  readonly id: string;
  /** The domain whose property should catch it. */
  readonly domain: PropertyDomain;
  /** What the profile must say for the bug to show (adapters/emulator/bugs.ts `needs`). */
  readonly needs: string;
}

/** Targets with the bug switched on, under a profile: the caller constructs them (the emulator). */
export type BuggyTargets = (profile: Profile, bugId: string) => TargetFactory;

export interface HuntResult<B extends PlantedBug = PlantedBug> {
  readonly bug: B;
  readonly killed: boolean;
  /** Milliseconds until the first failing case was found. */
  readonly msToFirst: number | null;
  readonly shrunkLength: number | null;
  readonly rule: string | null;
  /** Every rule the failing step's verdict named. */
  readonly rules: readonly string[];
  readonly error?: string;
}

export const hunt = async <B extends PlantedBug>(
  bug: B, targets: BuggyTargets, numRuns: number, seed: number, timeLimitMs?: number,
): Promise<HuntResult<B>> => {
  const profile = profileForBug(bug.needs);
  const t0 = performance.now();
  let msToFirst: number | null = null;
  try {
    await checkConformance(
      {
        profile, mix: MIXES[bug.domain], maxLength: 30, limits: EMULATOR_LIMITS,
        makeTarget: targets(profile, bug.id),
        onFailure: (_f, phase) => { if (phase === 'first') msToFirst = performance.now() - t0; },
      },
      { numRuns, seed, ...(timeLimitMs !== undefined ? { timeLimitMs } : {}) },
    );
    return { bug, killed: false, msToFirst: null, shrunkLength: null, rule: null, rules: [] };
  } catch (e) {
    if (e instanceof ConformanceError) {
      const f = e.failure;
      return { bug, killed: true, msToFirst, shrunkLength: f.index + 1, rule: f.steps[f.index]?.rules[0] ?? null, rules: f.steps[f.index]?.rules ?? [] };
    }
    return { bug, killed: false, msToFirst, shrunkLength: null, rule: null, rules: [], error: String(e) };
  }
};
