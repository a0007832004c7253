/**
 * The spec's state around a failing step, recomputed from the failure's steps: replay the spec
 * along the observed outcomes up to the failing step, then take the state the spec would have moved
 * to had the target answered the first allowed outcome. The observed answer itself has no after
 * state (it is outside the allowed set), so the report shows that outcome instead.
 */
import type { Outcome } from '../../spec/vocab/index.js';
import type { StateView } from '../../spec/verdict.js';
import type { Failure } from '../lockstep.js';
import type { SpecApi } from '../spec-api.js';

export interface ExpectedAfter {
  readonly outcome: Outcome;
  readonly view: StateView;
}

export const expectedAfter = <S>(spec: SpecApi<S>, f: Failure): ExpectedAfter | undefined => {
  try {
    let state = spec.initialState(f.profile);
    for (const s of f.steps.slice(0, f.index)) state = spec.step(f.profile, state, s.op).next(s.observed);
    const failing = f.steps[f.index]!;
    const verdict = spec.step(f.profile, state, failing.op);
    const outcome = verdict.allowed[0];
    return outcome ? { outcome, view: spec.view(verdict.next(outcome)) } : undefined;
  } catch {
    // Results saved by an older spec may not replay; the before picture still stands.
    return undefined;
  }
};
