/**
 * The lockstep runner: for each op, ask the spec for the allowed set, apply the op to the target,
 * and compare. An observed outcome outside the allowed set is blamed on the rule whose own allowed
 * set excluded it (spec/blame.ts). If that rule is judged, the sequence ends there as a Failure
 * that carries everything a report needs (step, rules with the blamed one first, allowed vs
 * observed, state before).
 *
 * A rule that is not judged (another rule under `--rule`, or a failure already found and being
 * suppressed) makes the step a Deviation instead. The spec cannot always say what state follows
 * an outcome it did not allow, so the sequence continues only where it can: the target answered
 * an errno, and every outcome the spec allowed leaves the state as it was (a failed call the spec
 * expected to fail, with another errno, is taken to change nothing either). Otherwise the sequence
 * ends there without a verdict (`cut`): later steps would be judged against a state the kernel
 * does not have.
 */
import type { Op, OpKind, Outcome, Profile } from '../spec/vocab/index.js';
import type { Part, StateView } from '../spec/verdict.js';
import type { Target } from '../spec/vocab/target.js';
import type { SpecApi } from './spec-api.js';
import { isAllowed } from '../spec/vocab/index.js';
import { rulesBlamedFirst } from '../spec/blame.js';
import type { RunStats } from './stats.js';

export interface StepRecord {
  readonly op: Op;
  readonly observed: Outcome;
  readonly allowed: readonly Outcome[];
  /** The rules that decided the verdict; at a failing step the one that excluded the observation comes first. */
  readonly rules: readonly string[];
  readonly loose?: string;
  readonly parts?: readonly Part[];
}

export interface Failure {
  /** Zero-based index of the failing step in `steps`. */
  readonly index: number;
  readonly steps: readonly StepRecord[];
  readonly stateBefore: StateView;
  readonly profile: Profile;
  readonly target: string;
}

/** A failure is known by the rule that excluded the observation and the kind of op it happened on. */
export interface FailureKey {
  readonly rule: string;
  readonly kind: OpKind;
}

export const failureKey = (f: Failure): FailureKey => ({ rule: f.steps[f.index]!.rules[0]!, kind: f.steps[f.index]!.op.kind });
export const keyText = (k: FailureKey): string => `${k.rule} on ${k.kind}`;
export const sameKey = (a: FailureKey, b: FailureKey): boolean => a.rule === b.rule && a.kind === b.kind;

/** An observation outside the allowed set whose rule was not judged (see the header). */
export interface Deviation extends FailureKey {
  readonly index: number;
}

export interface LockstepResult<S = unknown> {
  readonly steps: readonly StepRecord[];
  readonly failure?: Failure;
  /** The spec state after the last step that conformed (a parallel case's branches start from it). */
  readonly state: S;
  readonly deviations: readonly Deviation[];
  /** The sequence ended at this step without a verdict (an unjudged deviation the spec cannot continue from). */
  readonly cut?: number;
}

/** Which failures count: a rule and the kind of op. Default: all. */
export type Judged = (key: FailureKey) => boolean;
export const JUDGE_ALL: Judged = () => true;

export const lockstep = async <S>(
  spec: SpecApi<S>, profile: Profile, target: Target, ops: readonly Op[], stats?: RunStats, judged: Judged = JUDGE_ALL,
): Promise<LockstepResult<S>> => {
  let state = spec.initialState(profile);
  const steps: StepRecord[] = [];
  const deviations: Deviation[] = [];
  for (const op of ops) {
    const verdict = spec.step(profile, state, op);
    const observed = await target.apply(op);
    const base = { op, observed, allowed: verdict.allowed, ...(verdict.loose ? { loose: verdict.loose } : {}), ...(verdict.parts ? { parts: verdict.parts } : {}) };
    stats?.hit(verdict.rules, op.kind);
    if (isAllowed(observed, verdict.allowed)) {
      steps.push({ ...base, rules: verdict.rules });
      state = verdict.next(observed);
      continue;
    }
    const rules = rulesBlamedFirst(verdict, observed);
    steps.push({ ...base, rules });
    const key = { rule: rules[0]!, kind: op.kind };
    if (judged(key)) {
      return { steps, state, deviations, failure: { index: steps.length - 1, steps, stateBefore: spec.view(state), profile, target: target.name } };
    }
    deviations.push({ ...key, index: steps.length - 1 });
    const unchanged = observed.kind === 'errno' && verdict.allowed.every((a) => verdict.next(a) === state);
    if (!unchanged) return { steps, state, deviations, cut: steps.length - 1 };
  }
  return { steps, state, deviations };
};
