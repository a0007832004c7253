/**
 * A parallel counterexample: the case, what the prefix and every branch observed, the interleaving
 * the emulator used (replayable), and why no interleaving explains the outcomes — the deepest dead
 * end of the linearizability search. `undecided` when the search ran out of budget (never a pass).
 */
import type { Profile } from '../../spec/vocab/index.js';
import type { StateView } from '../../spec/verdict.js';
import type { Failure, StepRecord } from '../lockstep.js';
import type { ParallelCase } from './case.js';
import type { BranchStep, Linearization } from './linearize.js';

export interface ParallelFailure {
  readonly case: ParallelCase;
  readonly prefix: readonly StepRecord[];
  readonly branches: readonly (readonly BranchStep[])[];
  readonly lin: Extract<Linearization, { ok: false }>;
  /** The emulator's interleaving (task per scheduler step), replayed exactly by a token. */
  readonly schedule?: readonly number[];
  readonly stateAfterPrefix: StateView;
  readonly profile: Profile;
  readonly target: string;
  /** Which execution of the case showed it (a real kernel repeats each case to sample interleavings). */
  readonly execution: number;
  /** The seed that execution's target was created with (the emulator's own choices descend from it). */
  readonly targetSeed: number;
  readonly undecided: boolean;
}

/** What a parallel case can fail with: its prefix sequentially, or its branches. */
export type CaseFailure =
  | { readonly kind: 'sequential'; readonly failure: Failure; readonly case: ParallelCase }
  | { readonly kind: 'parallel'; readonly failure: ParallelFailure };
