/**
 * The parallel conformance property: generated parallel cases, each run on fresh targets
 * (`repeats` times: a real kernel interleaves differently on every run, so each case samples
 * several interleavings; the emulator's interleaving is generated with the case instead, as a list
 * of scheduling choices fast-check shrinks too). A failure shrinks to a minimal case — fewer ops,
 * ops moved into the prefix, simpler choices — and is thrown as ParallelConformanceError.
 */
import fc from 'fast-check';
import type { OpKind, Profile } from '../../spec/vocab/index.js';
import { canRunBranches, type TargetFactory } from '../../spec/vocab/target.js';
import { HarnessError, TargetBrokenError } from '../../spec/vocab/errors.js';
import type { GenLimits } from '../generate/context.js';
import { InfrastructureError } from '../property.js';
import { SPEC } from '../spec-api.js';
import { RunStats } from '../stats.js';
import type { ParallelCase } from './case.js';
import type { CaseFailure } from './failure.js';
import { caseArb, resolveCase } from './generate.js';
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
}

/** Counters of a parallel run; `checkMs` is the time spent in the linearizability check. */
export class ParallelStats extends RunStats {
  executions = 0;
  explored = 0;
  checkMs = 0;
  concurrentNs = 0;

  mergeParallel(o: ParallelStats): void {
    this.merge(o);
    this.executions += o.executions;
    this.explored += o.explored;
    this.checkMs += o.checkMs;
    this.concurrentNs += o.concurrentNs;
  }
}

export class ParallelConformanceError extends Error {
  override name = 'ParallelConformanceError';
  constructor(readonly failure: CaseFailure, readonly seed: number, readonly path: string | undefined, readonly stats: ParallelStats) {
    super(failure.kind === 'sequential'
      ? `[${failure.failure.steps[failure.failure.index]?.rules[0] ?? '?'}] prefix step ${failure.failure.index + 1} outside the allowed set (seed ${seed})`
      : `${failure.failure.undecided ? 'undecided' : 'no interleaving explains'} the branches' outcomes (seed ${seed}${path ? `, path "${path}"` : ''})`);
  }
}

class CaseFailed extends Error {
  constructor(readonly failure: CaseFailure) {
    super(failure.kind === 'sequential' ? 'prefix failed' : 'not linearizable');
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
            target: target.name, execution: r + 1, undecided: !lin.exhausted, ...(run.schedule !== undefined ? { schedule: run.schedule } : {}),
          },
        };
      }
    } finally {
      await target.close();
    }
  }
  return undefined;
};

const choicesArb = fc.array(fc.nat({ max: 11 }), { maxLength: 48 });

export const parallelProperty = (o: ParallelOptions, stats: ParallelStats, seenBefore = false) => {
  let seen = seenBefore;
  return fc.asyncProperty(
    caseArb(o), o.scheduled ? choicesArb : fc.constant([] as number[]), fc.noShrink(fc.integer()),
    async (tmpl, choices, seed) => {
      const c = resolveCase(tmpl, o);
      if (c.branches.length === 0) return;
      stats.sequences++;
      const f = await executeCase(o, c, choices, seed, stats);
      if (f === undefined) return;
      if (!seen) o.onFailure?.(f, 'first');
      seen = true;
      throw new CaseFailed(f);
    },
  );
};

export interface ParallelCheckParams {
  readonly numRuns: number;
  readonly seed?: number;
  readonly timeLimitMs?: number;
}

export const checkParallel = async (o: ParallelOptions, params: ParallelCheckParams): Promise<ParallelStats> => {
  const stats = new ParallelStats();
  const found = await fc.check(parallelProperty(o, stats), {
    numRuns: params.numRuns,
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...(params.timeLimitMs !== undefined ? { plugins: [fc.interruptAfterTimeLimit(params.timeLimitMs)] } : {}),
    endOnFailure: true,
  });
  if (!found.failed) return stats;
  if (found.interrupted && !(found.errorInstance instanceof CaseFailed)) return stats;
  let details: { readonly errorInstance: unknown; readonly seed: number; readonly counterexamplePath: string | null } = found;
  if (found.errorInstance instanceof CaseFailed && found.counterexamplePath !== null) {
    const shrunk = await fc.check(parallelProperty(o, stats, true), {
      numRuns: params.numRuns, seed: found.seed, path: found.counterexamplePath, endOnFailure: false,
    });
    // A race that does not come back when replayed (a real kernel) keeps the first failure.
    if (shrunk.failed && shrunk.errorInstance instanceof CaseFailed) details = shrunk;
  }
  const e = details.errorInstance;
  if (e instanceof CaseFailed) {
    o.onFailure?.(e.failure, 'shrunk');
    throw new ParallelConformanceError(e.failure, details.seed, details.counterexamplePath ?? undefined, stats);
  }
  if (e instanceof HarnessError) throw new InfrastructureError(`${e.name}: ${e.message} (seed ${details.seed})`, { cause: e });
  throw e instanceof Error ? e : new InfrastructureError(String(e));
};
