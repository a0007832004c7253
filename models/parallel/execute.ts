/**
 * Executing a parallel case: `repeats` times, each on a fresh target (prefix, branches, check),
 * counting what was checked. The property and the minimiser both run cases through here.
 */
import type { OpKind, Profile } from '../../spec/vocab/index.js';
import { canRunBranches, type TargetFactory } from '../../spec/vocab/target.js';
import { TargetBrokenError } from '../../spec/vocab/errors.js';
import type { GenLimits } from '../generate/context.js';
import { SPEC } from '../spec-api.js';
import { RunStats } from '../stats.js';
import type { Backing, ParallelCase } from './case.js';
import type { CaseFailure } from './failure.js';
import type { MinimiseBudget } from './minimise.js';
import { runCase } from './run.js';

export interface ParallelOptions {
  readonly profile: Profile;
  readonly makeTarget: TargetFactory;
  readonly limits: GenLimits;
  readonly excluded?: ReadonlySet<OpKind>;
  /** Executions per case (fresh target, prefix, branches); default 1. */
  readonly repeats?: number;
  /** Generate scheduling choices with the case (a target that schedules deterministically: the emulator). */
  readonly scheduled?: boolean;
  /** Linearizability search budget per execution (nodes). */
  readonly budget?: number;
  readonly onFailure?: (f: CaseFailure, phase: 'first' | 'shrunk') => void;
  /** The race minimiser's budget after shrinking (default: 150 interleavings per candidate, 5 s); false: none. */
  readonly minimise?: MinimiseBudget | false;
  /** Only cases on this backing (default: guest_memfd where the target has it, some memfd cases too). */
  readonly backing?: Backing;
  /** Ctrl-C: the search stops before its next case and returns what it counted. */
  readonly signal?: AbortSignal;
}

/** Counters of a parallel run; `checkMs` is the time spent in the linearizability check. */
export class ParallelStats extends RunStats {
  executions = 0;
  explored = 0;
  checkMs = 0;
  concurrentNs = 0;
  /** Cases (not executions) per backing file. */
  readonly backings = new Map<Backing, number>();

  countCase(b: Backing): void {
    this.sequences++;
    this.backings.set(b, (this.backings.get(b) ?? 0) + 1);
  }

  mergeParallel(o: ParallelStats): void {
    this.merge(o);
    for (const [b, n] of o.backings) this.backings.set(b, (this.backings.get(b) ?? 0) + n);
    this.executions += o.executions;
    this.explored += o.explored;
    this.checkMs += o.checkMs;
    this.concurrentNs += o.concurrentNs;
  }
}

/** Runs one case `repeats` times; the first failing execution, or undefined. */
export const executeCase = async (o: ParallelOptions, c: ParallelCase, choices: readonly number[], seed: number, stats: ParallelStats): Promise<CaseFailure | undefined> => {
  for (let r = 0; r < (o.repeats ?? 1); r++) {
    const target = await o.makeTarget((seed + r) | 0);
    try {
      if (!canRunBranches(target)) throw new TargetBrokenError(`target ${target.name} cannot run branches concurrently`);
      stats.executions++;
      const run = await runCase(SPEC, o.profile, target, c, o.scheduled ? { choices } : {}, stats, o.budget);
      if (run.prefixFailure !== undefined) return { kind: 'sequential', failure: run.prefixFailure, case: c };
      const lin = run.lin!;
      stats.checkMs += run.checkMs ?? 0;
      stats.explored += lin.explored;
      stats.concurrentNs += run.ns ?? 0;
      if (!lin.ok) {
        return {
          kind: 'parallel',
          failure: {
            case: c, prefix: run.prefix, branches: run.branches, lin, stateAfterPrefix: run.stateAfterPrefix!, profile: o.profile,
            target: target.name, execution: r + 1, targetSeed: (seed + r) | 0, undecided: !lin.exhausted, ...(run.schedule !== undefined ? { schedule: run.schedule } : {}),
          },
        };
      }
    } finally {
      await target.close();
    }
  }
  return undefined;
};

