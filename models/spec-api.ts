/** The spec as the runner sees it: three pure functions (see spec/index.ts). */
import type { Op, Profile } from '../spec/vocab/index.js';
import type { StateView, Verdict } from '../spec/verdict.js';
import * as spec from '../spec/index.js';

export interface SpecApi<S> {
  initialState(profile: Profile): S;
  step(profile: Profile, state: S, op: Op): Verdict<S>;
  view(state: S): StateView;
}

export type SpecState = ReturnType<typeof spec.initialState>;
export const SPEC: SpecApi<SpecState> = spec;
