/** The spec as the runner sees it: pure functions (see spec/index.ts). */
import type { Op, Outcome, Profile } from '../spec/vocab/index.js';
import type { StateView, Verdict } from '../spec/verdict.js';
import type { SplitPoint } from '../spec/mmap/access-split.js';
import * as spec from '../spec/index.js';

export type { SplitPoint };

export interface SpecApi<S> {
  initialState(profile: Profile): S;
  step(profile: Profile, state: S, op: Op): Verdict<S>;
  view(state: S): StateView;
  /**
   * The linearization points of an op that is not one atomic step when other threads run (a load
   * or store, a hole punch: spec/split.ts), or undefined. Only the parallel check asks.
   */
  splitOp?(op: Op, observed: Outcome): readonly SplitPoint<S>[] | undefined;
}

export type SpecState = ReturnType<typeof spec.initialState>;
export const SPEC: SpecApi<SpecState> = spec;
