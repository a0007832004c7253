/**
 * The conformance property: generated cases (models/generate/case.ts) run in lockstep against a
 * fresh target. One pipeline for every caller (vitest's properties, `gmemcheck run`, `report`,
 * `mutants`): search for a failing case, shrink it (fast-check, then the minimiser) keeping the
 * same failure (the rule that excluded the observation and the kind of op), and report it.
 *
 * `checkConformance` stops at the first failure and throws ConformanceError. `searchFailure` and
 * `shrinkFailure` are its two halves, for callers that keep going after a failure (models/explore.ts).
 */
import fc from 'fast-check';
import type { Profile } from '../spec/vocab/index.js';
import type { TargetFactory } from '../spec/vocab/target.js';
import { HarnessError, TargetLimitError, TargetPlacementError } from '../spec/vocab/errors.js';
import { GenContext, type GenLimits } from './generate/context.js';
import { caseArb, type CaseShape } from './generate/case.js';
import type { Template } from './generate/template.js';
import { failureKey, JUDGE_ALL, lockstep, sameKey, type Deviation, type Failure, type FailureKey, type Judged } from './lockstep.js';
import { minimise } from './minimise.js';
import { SPEC } from './spec-api.js';
import { RunStats } from './stats.js';

/** What to generate (the case shape: mix, lengths, excluded kinds) and what to run it on. */
export interface ConformanceOptions extends CaseShape {
  readonly profile: Profile;
  readonly makeTarget: TargetFactory;
  readonly limits: GenLimits;
  /** Called with the first failing case at once and with the shrunk one when shrinking ends. */
  readonly onFailure?: (f: Failure, phase: 'first' | 'shrunk', targetSeed: number) => void;
  /** Which failures count (default all); an exclusion by another rule is a deviation (models/lockstep.ts). */
  readonly judged?: Judged;
  /** Each sequence's deviations while searching (not while shrinking), once per key and sequence. */
  readonly onDeviations?: (d: readonly Deviation[], cut: boolean) => void;
  /** Stops the search between cases (Ctrl-C): the search then reports nothing found. */
  readonly signal?: AbortSignal;
}

/** Where a failing case came from: fast-check's seed and path, and the seed its target was made with. */
export interface FoundAt {
  readonly seed: number;
  readonly path?: string;
  readonly targetSeed: number;
}

/**
 * A conformance violation: the shrunk failure, where fast-check found it and the run's numbers.
 * The message is one line; the full report (rule text, wanted vs got, state, replay) is
 * models/report/message.ts formatFailure, which the callers that show it use.
 */
export class ConformanceError extends Error {
  override name = 'ConformanceError';
  constructor(readonly failure: Failure, readonly seed: number, readonly path: string | undefined, readonly stats: RunStats, readonly targetSeed?: number) {
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

const uniqueKeys = (ds: readonly Deviation[]): Deviation[] => ds.filter((d, i) => ds.findIndex((x) => sameKey(x, d)) === i);

/**
 * The property. While searching (`shrinkingFor` undefined) every judged failure counts; while
 * shrinking, only the failure being shrunk does, so the shrunk case is the same finding.
 */
export const conformanceProperty = (o: ConformanceOptions, stats: RunStats, shrinkingFor?: FailureKey) => {
  let seen = shrinkingFor !== undefined;
  // The emulator answers without I/O: a search is then one long chain of microtasks, and a signal
  // (Ctrl-C) would never be delivered. With a signal to watch, let the event loop run now and then.
  let yielded = Date.now();
  const letSignalsIn = async (): Promise<void> => {
    if (o.signal === undefined || Date.now() - yielded < 50) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    yielded = Date.now();
  };
  const judged: Judged = shrinkingFor === undefined ? (o.judged ?? JUDGE_ALL) : (k) => sameKey(k, shrinkingFor);
  return fc.asyncProperty(
    caseArb(o),
    async ([templates, seed]) => {
      await letSignalsIn();
      // Interrupted (Ctrl-C): every further case passes at once, so the search and the shrink end.
      if (o.signal?.aborted) return;
      const ops = resolveTemplates(templates, o.limits, o.profile);
      const target = await o.makeTarget(seed);
      try {
        if (shrinkingFor === undefined) stats.sequences++;
        else stats.shrinkSequences++;
        let r: Awaited<ReturnType<typeof lockstep>>;
        try {
          r = await lockstep(SPEC, o.profile, target, ops, stats, judged);
        } catch (e) {
          // While shrinking, a candidate the target refuses to run (TargetLimitError: a resource
          // limit, or an op whose safe placement an op the shrinker removed used to provide) is no
          // evidence of the failure being shrunk: it passes. While searching it stays an
          // infrastructure error, since the generator is meant never to draw one.
          if (shrinkingFor !== undefined && e instanceof TargetLimitError) return;
          // A placement the kernel chose leaves no room for the op (TargetPlacementError): the
          // sequence ends there, counted with the ones that ended early, not an infrastructure error.
          if (e instanceof TargetPlacementError) { stats.cut++; return; }
          throw e;
        }
        if (shrinkingFor === undefined && r.deviations.length > 0) o.onDeviations?.(uniqueKeys(r.deviations), r.cut !== undefined);
        if (r.cut !== undefined) stats.cut++;
        if (r.failure) {
          if (!seen) o.onFailure?.(r.failure, 'first', seed);
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

export interface Found extends FoundAt {
  readonly failure: Failure;
}

export interface SearchResult {
  /** The first failing case, unshrunk. */
  readonly found?: Found;
  /** Cases run (the failing one included). */
  readonly runs: number;
}

const rethrow = (e: unknown, seed: number): never => {
  if (e instanceof HarnessError) throw new InfrastructureError(`${e.name}: ${e.message} (seed ${seed})`, { cause: e });
  throw e instanceof Error ? e : new InfrastructureError(String(e));
};

/** Runs cases until one fails (judged failures only) or the runs are spent; nothing is shrunk. */
export const searchFailure = async (o: ConformanceOptions, params: CheckParams, stats = new RunStats()): Promise<SearchResult> => {
  const before = stats.sequences;
  const found = await fc.check(conformanceProperty(o, stats), {
    numRuns: params.numRuns,
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...(params.path !== undefined ? { path: params.path } : {}),
    ...(params.timeLimitMs !== undefined ? { plugins: [fc.interruptAfterTimeLimit(params.timeLimitMs)] } : {}),
    endOnFailure: true,
  });
  const runs = stats.sequences - before;
  if (!found.failed) return { runs };
  // The time limit ended the search before any case failed (fast-check flags a run stopped before
  // its first case as failed, with no error): nothing was found.
  if (found.interrupted && !(found.errorInstance instanceof FailedStep)) return { runs };
  const e = found.errorInstance;
  if (!(e instanceof FailedStep)) return rethrow(e, found.seed);
  return { runs, found: { failure: e.failure, seed: found.seed, ...(found.counterexamplePath !== null ? { path: found.counterexamplePath } : {}), targetSeed: e.seed } };
};

/** Shrinks a found case to a minimal one failing the same way (rule and op kind): fast-check, then the minimiser. */
export const shrinkFailure = async (o: ConformanceOptions, found: Found, stats = new RunStats()): Promise<Found> => {
  const key = failureKey(found.failure);
  let best: Found = found;
  if (found.failure.index < FAST_CHECK_SHRINK_MAX_STEPS && found.path !== undefined) {
    // Replaying the failing case's path regenerates it first; fast-check then shrinks it.
    const shrunk = await fc.check(conformanceProperty(o, stats, key), { numRuns: 1, seed: found.seed, path: found.path, endOnFailure: false });
    // A case that passes when replayed (a timing-dependent outcome on a real kernel) is still a
    // finding: keep the first failure and let the minimiser work on it.
    const e = shrunk.errorInstance;
    if (shrunk.failed && e instanceof FailedStep) {
      best = { failure: e.failure, seed: shrunk.seed, ...(shrunk.counterexamplePath !== null ? { path: shrunk.counterexamplePath } : {}), targetSeed: e.seed };
    } else if (shrunk.failed && !(e instanceof FailedStep)) rethrow(e, shrunk.seed);
  }
  const failure = await minimise(best.failure, o.profile, o.makeTarget, best.targetSeed, 2000, key, o.signal);
  o.onFailure?.(failure, 'shrunk', best.targetSeed);
  return { ...best, failure };
};

/**
 * The one conformance pipeline: find a failing case, shrink it (fast-check, then the minimiser),
 * throw ConformanceError with the shrunk failure; returns the run's numbers when nothing failed.
 * `stats` (optional) is filled as the run goes, so a caller that catches keeps the numbers too.
 */
export const checkConformance = async (o: ConformanceOptions, params: CheckParams, stats = new RunStats()): Promise<RunStats> => {
  const { found } = await searchFailure(o, params, stats);
  if (found === undefined) return stats;
  const shrunk = await shrinkFailure(o, found, stats);
  throw new ConformanceError(shrunk.failure, shrunk.seed, shrunk.path, stats, shrunk.targetSeed);
};
