/**
 * One execution of a parallel case on a target: the prefix in lockstep with the spec (a prefix
 * step outside its allowed set is an ordinary sequential failure), then the branches concurrently
 * (ParallelTarget.runBranches), then the linearizability check of what they observed against the
 * state the prefix left.
 */
import type { Profile } from '../../spec/vocab/index.js';
import type { BranchOptions, ParallelTarget } from '../../spec/vocab/target.js';
import type { StateView } from '../../spec/verdict.js';
import { lockstep, type Failure, type StepRecord } from '../lockstep.js';
import type { SpecApi } from '../spec-api.js';
import type { RunStats } from '../stats.js';
import type { ParallelCase } from './case.js';
import { linearize, type BranchStep, type Linearization } from './linearize.js';

export interface CaseRun {
  readonly prefix: readonly StepRecord[];
  /** The prefix failed sequentially: nothing concurrent ran. */
  readonly prefixFailure?: Failure;
  readonly branches: readonly (readonly BranchStep[])[];
  readonly schedule?: readonly number[];
  /** Wall time of the concurrent part (ns), where the target measured it. */
  readonly ns?: number;
  readonly lin?: Linearization;
  /** Time the linearizability check took (ms). */
  readonly checkMs?: number;
  /** Where a replayed interleaving stopped fitting (BranchRun.diverged). */
  readonly diverged?: number;
  readonly stateAfterPrefix?: StateView;
}

export const runCase = async <S>(
  spec: SpecApi<S>, profile: Profile, target: ParallelTarget, c: ParallelCase, o: BranchOptions = {}, stats?: RunStats, budget?: number,
): Promise<CaseRun> => {
  const pre = await lockstep(spec, profile, target, c.prefix, stats);
  if (pre.failure !== undefined) return { prefix: pre.steps, prefixFailure: pre.failure, branches: [] };
  const run = await target.runBranches(c.branches, o);
  const branches = c.branches.map((ops, b) => ops.map((op, i): BranchStep => {
    const t = run.branches[b]?.[i];
    if (t === undefined) throw new Error(`target ${target.name} returned no outcome for branch ${b + 1} op ${i + 1}`);
    return { op, observed: t.outcome, ...(t.start !== undefined ? { start: t.start } : {}), ...(t.end !== undefined ? { end: t.end } : {}) };
  }));
  const t0 = performance.now();
  const lin = linearize({ spec, profile, state: pre.state, branches, ...(budget !== undefined ? { budget } : {}) });
  const checkMs = performance.now() - t0;
  if (stats !== undefined) {
    stats.opsChecked += branches.reduce((n, b) => n + b.length, 0);
    // Rule coverage from the order that explained the run (what decided each point there).
    if (lin.ok) for (const rs of lin.rules) for (const r of rs) stats.ruleHits.set(r, (stats.ruleHits.get(r) ?? 0) + 1);
  }
  return {
    prefix: pre.steps, branches, lin, checkMs, stateAfterPrefix: spec.view(pre.state),
    ...(run.schedule !== undefined ? { schedule: run.schedule } : {}), ...(run.ns !== undefined ? { ns: run.ns } : {}),
    ...(run.diverged !== undefined ? { diverged: run.diverged } : {}),
  };
};
