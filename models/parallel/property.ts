/**
 * The parallel conformance property: generated parallel cases, each run on fresh targets
 * (`repeats` times: a real kernel interleaves differently on every run, so each case samples
 * several interleavings; the emulator's interleaving is generated with the case instead, as a list
 * of scheduling choices fast-check shrinks too). A failure shrinks to a minimal case — fewer ops,
 * ops moved into the prefix, simpler choices — and is thrown as ParallelConformanceError.
 */
import fc from 'fast-check';
import { HarnessError } from '../../spec/vocab/errors.js';
import { InfrastructureError } from '../property.js';
import type { CaseFailure } from './failure.js';
import { caseBacking } from './case.js';
import { caseArb, resolveCase } from './generate.js';
import { executeCase, ParallelStats, type ParallelOptions } from './execute.js';
import { minimiseParallel } from './minimise.js';

export { ParallelStats, type ParallelOptions } from './execute.js';

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

/** The search was interrupted (ParallelOptions.signal): no failure, nothing to shrink. */
class RunAborted extends Error {
  constructor() {
    super('interrupted');
  }
}

const choicesArb = fc.array(fc.nat({ max: 11 }), { maxLength: 48 });

export const parallelProperty = (o: ParallelOptions, stats: ParallelStats, seenBefore = false) => {
  let seen = seenBefore;
  // The emulator answers without I/O, so a search is one chain of microtasks: with a signal to
  // watch, let the event loop run now and then so that Ctrl-C is delivered.
  let yielded = Date.now();
  return fc.asyncProperty(
    caseArb(o), o.scheduled ? choicesArb : fc.constant([] as number[]), fc.noShrink(fc.integer()),
    async (tmpl, choices, seed) => {
      if (o.signal !== undefined && Date.now() - yielded >= 50) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        yielded = Date.now();
      }
      if (o.signal?.aborted) throw new RunAborted();
      const c = resolveCase(tmpl, o);
      // A template whose branch ops all went to the prefix is no parallel case: not a run, so that
      // numRuns (--runs) counts cases that raced.
      fc.pre(c.branches.length > 0);
      stats.countCase(caseBacking(c));
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
  if (!found.failed || found.errorInstance instanceof RunAborted) return stats;
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
    let f = e.failure;
    if (f.kind === 'parallel' && o.minimise !== false) {
      f = { kind: 'parallel', failure: await minimiseParallel(o, f.failure, details.seed, o.minimise ?? { attempts: 150, timeMs: 5000 }) };
    }
    o.onFailure?.(f, 'shrunk');
    throw new ParallelConformanceError(f, details.seed, details.counterexamplePath ?? undefined, stats);
  }
  if (e instanceof HarnessError) throw new InfrastructureError(`${e.name}: ${e.message} (seed ${details.seed})`, { cause: e });
  throw e instanceof Error ? e : new InfrastructureError(String(e));
};
