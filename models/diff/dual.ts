/**
 * Dual lockstep: one op sequence judged on side A and side B at once. At every step both specs
 * give their allowed set for the same op; each side's target (or one shared target, when the two
 * sides are one kernel under two profiles) answers. A step *differs* when the allowed sets differ
 * or when one side passes and the other fails. The comparison only continues while both sides are
 * still in the same observed history, so every difference found is about the same op at the same
 * state, never a consequence of an earlier divergence.
 */
import type { Op, Outcome, Profile } from '../../spec/vocab/index.js';
import type { Target } from '../../spec/vocab/target.js';
import type { SpecApi } from '../spec-api.js';
import { isAllowed, outcomeEqual } from '../../spec/vocab/index.js';
import type { RunStats } from '../stats.js';
import { sameOutcomeSet } from './outcome-set.js';

export interface SideStep {
  readonly rules: readonly string[];
  readonly allowed: readonly Outcome[];
  readonly observed: Outcome;
  readonly pass: boolean;
}

export interface HistoryStep {
  readonly op: Op;
  readonly a: Outcome;
  readonly b: Outcome;
}

export interface Difference {
  /** The deciding rule, or `A-rule vs B-rule` when the two specs name different rules. */
  readonly key: string;
  readonly index: number;
  /** Every step up to and including the differing one, with both sides' observations. */
  readonly history: readonly HistoryStep[];
  readonly allowedDiffer: boolean;
  readonly verdictDiffer: boolean;
  readonly a: SideStep;
  readonly b: SideStep;
}

export interface DualTargets {
  readonly a: Target;
  /** Undefined: side B reads side A's observations (one kernel, two profiles). */
  readonly b?: Target;
}

/** Why the comparison ended: all ops done, a side's target left its spec, or both conformed differently. */
export type DualStop = 'end' | 'a-failed' | 'b-failed' | 'both-failed' | 'diverged';

export interface DualResult {
  readonly differences: readonly Difference[];
  /** Steps compared while both sides were in the same history. */
  readonly compared: number;
  readonly stop: DualStop;
}

export const differenceKey = (a: SideStep, b: SideStep): string => {
  const ra = a.rules[0] ?? '?';
  const rb = b.rules[0] ?? '?';
  return ra === rb ? ra : `${ra} vs ${rb}`;
};

export const dualLockstep = async <S>(
  spec: SpecApi<S>, profiles: { readonly a: Profile; readonly b: Profile }, targets: DualTargets, ops: readonly Op[],
  stats?: { readonly a: RunStats; readonly b: RunStats },
): Promise<DualResult> => {
  let sa = spec.initialState(profiles.a);
  let sb = spec.initialState(profiles.b);
  const history: HistoryStep[] = [];
  const differences: Difference[] = [];
  const seen = new Set<string>();
  for (const [index, op] of ops.entries()) {
    const va = spec.step(profiles.a, sa, op);
    const vb = spec.step(profiles.b, sb, op);
    stats?.a.hit(va.rules);
    stats?.b.hit(vb.rules);
    const oa = await targets.a.apply(op);
    const ob = targets.b ? await targets.b.apply(op) : oa;
    history.push({ op, a: oa, b: ob });
    const a: SideStep = { rules: va.rules, allowed: va.allowed, observed: oa, pass: isAllowed(oa, va.allowed) };
    const b: SideStep = { rules: vb.rules, allowed: vb.allowed, observed: ob, pass: isAllowed(ob, vb.allowed) };
    const allowedDiffer = !sameOutcomeSet(a.allowed, b.allowed);
    const verdictDiffer = a.pass !== b.pass;
    const key = differenceKey(a, b);
    if ((allowedDiffer || verdictDiffer) && !seen.has(key)) {
      seen.add(key);
      differences.push({ key, index, history: [...history], allowedDiffer, verdictDiffer, a, b });
    }
    // Past a failure, or once the two sides saw different outcomes, the states are not comparable.
    const stop: DualStop | undefined = !a.pass && !b.pass ? 'both-failed' : !a.pass ? 'a-failed' : !b.pass ? 'b-failed'
      : !outcomeEqual(oa, ob) ? 'diverged' : undefined;
    if (stop) return { differences, compared: index + 1, stop };
    sa = va.next(oa);
    sb = vb.next(ob);
  }
  return { differences, compared: ops.length, stop: 'end' };
};
