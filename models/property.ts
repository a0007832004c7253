/**
 * The conformance property: generated cases (models/generate/case.ts) run in lockstep against a
 * fresh target. `checkConformance` is the one pipeline every caller runs (vitest's properties,
 * `gmemcheck run`, `report`, `mutants`): find, shrink (fast-check, then the minimiser) and throw
 * ConformanceError carrying the shrunk failure; models/report/message.ts formats it.
 */
import fc from 'fast-check';
import type { Profile } from '../spec/vocab/index.js';
import type { TargetFactory } from '../spec/vocab/target.js';
import { HarnessError } from '../spec/vocab/errors.js';
import { GenContext, type GenLimits } from './generate/context.js';
import { caseArb, type CaseShape } from './generate/case.js';
import type { Template } from './generate/template.js';
import { lockstep, type Failure } from './lockstep.js';
import { minimise } from './minimise.js';
import { SPEC } from './spec-api.js';
import { RunStats } from './stats.js';

/** What to generate (the case shape: mix, lengths, excluded kinds) and what to run it on. */
export interface ConformanceOptions extends CaseShape {
  readonly profile: Profile;
  readonly makeTarget: TargetFactory;
  readonly limits: GenLimits;
  /** Called with the first failing case at once and with the shrunk one when shrinking ends. */
  readonly onFailure?: (f: Failure, phase: 'first' | 'shrunk') => void;
}

/**
 * A conformance violation: the shrunk failure, where fast-check found it (seed and path) and the
 * run's numbers. The message is one line; the full report (rule text, wanted vs got, state,
 * replay) is models/report/message.ts formatFailure, which the callers that show it use.
 */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
  constructor(readonly failure: Failure, readonly seed: number, readonly path: string | undefined, readonly stats: RunStats) {
    const step = failure.steps[failure.index];
    super(`[${step?.rules[0] ?? '?'}] step ${failure.index + 1} of ${failure.steps.length} outside the allowed set (seed ${seed}${path ? `, path "${path}"` : ''})`);
  }
}

/** The harness broke during a run: never a PASS and never a conformance FAIL. */
export class InfrastructureError extends Error {
  override name = 'InfrastructureError';
}

class FailedStep extends Error {
  constructor(readonly failure: Failure, readonly seed: number) {
    super(`step ${failure.index + 1} outside the allowed set`);
  }
}

export const resolveTemplates = (templates: readonly Template[], limits: GenLimits, profile: Profile) => {
  const ctx = new GenContext(limits, profile.caps.nrMemslots, profile.caps.vmTypes, profile.caps.gmemFlags);
  return templates.map((t) => {
    const op = t.resolve(ctx);
    ctx.record(op);
    return op;
  });
};

/**
 * A first failure deeper than this many steps is not shrunk by fast-check. Its shrinker removes
 * one position at a time inside a sequence: a failure buried 900 steps deep took ~20,000 runs
 * (18 s). The minimiser's delta debugging on the resolved ops (models/minimise.ts) gets such a
 * case to a handful of steps in a fraction of a second. Shallower failures get fast-check's full
 * shrink first, which also simplifies parameters, not only drops steps.
 */
export const FAST_CHECK_SHRINK_MAX_STEPS = 100;

export const conformanceProperty = (o: ConformanceOptions, stats: RunStats, seenBefore = false) => {
  let seen = seenBefore;
  return fc.asyncProperty(
    caseArb(o),
    async ([templates, seed]) => {
      const ops = resolveTemplates(templates, o.limits, o.profile);
      const target = await o.makeTarget(seed);
      try {
        stats.sequences++;
        const r = await lockstep(SPEC, o.profile, target, ops, stats);
        if (r.failure) {
          if (!seen) o.onFailure?.(r.failure, 'first');
          seen = true;
          throw new FailedStep(r.failure, seed);
        }
      } finally {
        await target.close();
      }
    },
  );
};

export interface CheckParams {
  readonly numRuns: number;
  readonly seed?: number;
  readonly path?: string;
  /** Stop looking for a failure after this long (a failure found by then is still shrunk and reported). */
  readonly timeLimitMs?: number;
}

/**
 * The one conformance pipeline: find a failing case, shrink it (fast-check, then the minimiser),
 * throw ConformanceError with the shrunk failure; returns the run's numbers when nothing failed.
 * `stats` (optional) is filled as the run goes, so a caller that catches keeps the numbers too.
 */
export const checkConformance = async (o: ConformanceOptions, params: CheckParams, stats = new RunStats()): Promise<RunStats> => {
  // Find the first failure without shrinking, then decide who shrinks it (see FAST_CHECK_SHRINK_MAX_STEPS).
  const found = await fc.check(conformanceProperty(o, stats), {
    numRuns: params.numRuns,
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...(params.path !== undefined ? { path: params.path } : {}),
    ...(params.timeLimitMs !== undefined ? { plugins: [fc.interruptAfterTimeLimit(params.timeLimitMs)] } : {}),
    endOnFailure: true,
  });
  if (!found.failed) return stats;
  // The time limit ended the search before any case failed (fast-check flags a run stopped before
  // its first case as failed, with no error): nothing was found.
  if (found.interrupted && !(found.errorInstance instanceof FailedStep)) return stats;
  let details: { readonly errorInstance: unknown; readonly seed: number; readonly counterexamplePath: string | null } = found;
  const first = found.errorInstance;
  if (first instanceof FailedStep && first.failure.index < FAST_CHECK_SHRINK_MAX_STEPS && found.counterexamplePath !== null) {
    // Replaying the failing case's path regenerates it first; fast-check then shrinks it.
    const shrunk = await fc.check(conformanceProperty(o, stats, true), {
      numRuns: params.numRuns, seed: found.seed, path: found.counterexamplePath, endOnFailure: false,
    });
    // A case that passes when replayed (a timing-dependent outcome on a real kernel) is still a
    // finding: keep the first failure and let the minimiser work on it.
    if (shrunk.failed) details = shrunk;
  }
  const e = details.errorInstance;
  if (e instanceof FailedStep) {
    const f = await minimise(e.failure, o.profile, o.makeTarget, e.seed);
    o.onFailure?.(f, 'shrunk');
    throw new ConformanceError(f, details.seed, details.counterexamplePath ?? undefined, stats);
  }
  if (e instanceof HarnessError) throw new InfrastructureError(`${e.name}: ${e.message} (seed ${details.seed})`, { cause: e });
  throw e instanceof Error ? e : new InfrastructureError(String(e));
};
