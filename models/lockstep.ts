/**
 * The lockstep runner: for each op, ask the spec for the allowed set, apply the op to the target,
 * and compare. The first observed outcome outside the allowed set ends the sequence as a Failure
 * that carries everything a report needs (step, rules, allowed vs observed, state before).
 */
import type { Op, Outcome, Profile } from '../spec/vocab/index.js';
import type { StateView } from '../spec/verdict.js';
import type { Target } from '../spec/vocab/target.js';
import type { SpecApi } from './spec-api.js';
import { isAllowed } from '../spec/vocab/index.js';
import type { RunStats } from './stats.js';

export interface StepRecord {
  readonly op: Op;
  readonly observed: Outcome;
  readonly allowed: readonly Outcome[];
  readonly rules: readonly string[];
  readonly loose?: string;
}

export interface Failure {
  /** Zero-based index of the failing step in `steps`. */
  readonly index: number;
  readonly steps: readonly StepRecord[];
  readonly stateBefore: StateView;
  readonly profile: Profile;
  readonly target: string;
}

export interface LockstepResult {
  readonly steps: readonly StepRecord[];
  readonly failure?: Failure;
}

export const lockstep = async <S>(
  spec: SpecApi<S>, profile: Profile, target: Target, ops: readonly Op[], stats?: RunStats,
): Promise<LockstepResult> => {
  let state = spec.initialState(profile);
  const steps: StepRecord[] = [];
  for (const op of ops) {
    const verdict = spec.step(profile, state, op);
    const observed = await target.apply(op);
    const record: StepRecord = { op, observed, allowed: verdict.allowed, rules: verdict.rules, ...(verdict.loose ? { loose: verdict.loose } : {}) };
    steps.push(record);
    stats?.hit(verdict.rules);
    if (!isAllowed(observed, verdict.allowed)) {
      return { steps, failure: { index: steps.length - 1, steps, stateBefore: spec.view(state), profile, target: target.name } };
    }
    state = verdict.next(observed);
  }
  return { steps };
};
