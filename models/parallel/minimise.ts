/**
 * After fast-check's shrink, a race counterexample is often still longer than it needs to be: the
 * shrinker changes the ops and the scheduling choices together, and a smaller case with the old
 * choices rarely hits the window again. This minimiser tries each smaller case — a branch op
 * removed, a branch's first op moved to the end of the prefix, a prefix op removed (one that
 * creates nothing, or whose handle nothing uses) — and searches interleavings for it (fresh
 * scheduling choices from a generator seeded by the failure; on a real kernel, plain repeats)
 * until one fails again or the attempts run out. It keeps the first smaller failing case and
 * starts over, so the result is 1-minimal with respect to these steps and the attempts given.
 */
import seedrandom from 'seedrandom';
import { createdBy, usesHandle, type Op } from '../../spec/vocab/index.js';
import type { ParallelCase } from './case.js';
import type { CaseFailure, ParallelFailure } from './failure.js';
import { executeCase, ParallelStats, type ParallelOptions } from './execute.js';

export interface MinimiseBudget {
  /** Interleavings tried per candidate. */
  readonly attempts: number;
  /** Stop after this long (the best case so far is kept). */
  readonly timeMs: number;
}

const used = (ops: readonly Op[], op: Op): boolean => {
  const c = createdBy(op);
  return c !== undefined && ops.some((o) => o !== op && usesHandle(o, c.cls, c.id));
};

const candidates = (c: ParallelCase): ParallelCase[] => {
  const out: ParallelCase[] = [];
  const all = (x: ParallelCase): Op[] => [...x.prefix, ...x.branches.flat()];
  c.branches.forEach((br, b) => br.forEach((_op, i) => {
    const next = br.filter((_x, j) => j !== i);
    out.push({ prefix: c.prefix, branches: next.length > 0 ? c.branches.map((x, k) => (k === b ? next : x)) : c.branches.filter((_x, k) => k !== b) });
  }));
  c.branches.forEach((br, b) => {
    const rest = br.slice(1);
    out.push({ prefix: [...c.prefix, br[0]!], branches: rest.length > 0 ? c.branches.map((x, k) => (k === b ? rest : x)) : c.branches.filter((_x, k) => k !== b) });
  });
  for (let j = c.prefix.length - 1; j >= 0; j--) {
    const op = c.prefix[j]!;
    if (used(all(c), op)) continue;
    out.push({ prefix: c.prefix.filter((_x, k) => k !== j), branches: c.branches });
  }
  return out.filter((x) => x.branches.length >= 1);
};

export const minimiseParallel = async (o: ParallelOptions, f: ParallelFailure, seed: number, budget: MinimiseBudget): Promise<ParallelFailure> => {
  const rng = seedrandom(`minimise:${seed}`);
  const choices = (): number[] => Array.from({ length: 48 }, () => Math.floor(rng() * 12));
  const deadline = Date.now() + budget.timeMs;
  const stats = new ParallelStats();
  const once = { ...o, repeats: 1 };
  let best = f;
  const size = (x: ParallelCase): number => x.prefix.length + x.branches.reduce((n, b) => n + b.length, 0);
  const again = async (c: ParallelCase): Promise<ParallelFailure | undefined> => {
    for (let a = 0; a < budget.attempts && Date.now() < deadline; a++) {
      let r: CaseFailure | undefined;
      try {
        r = await executeCase(once, c, choices(), (seed + a) | 0, stats);
      } catch {
        return undefined; // a candidate the target cannot run is simply not smaller
      }
      if (r?.kind === 'parallel' && !r.failure.undecided) return r.failure;
    }
    return undefined;
  };
  for (let progress = true; progress && Date.now() < deadline;) {
    progress = false;
    for (const cand of candidates(best.case)) {
      if (size(cand) >= size(best.case)) continue;
      const g = await again(cand);
      if (g !== undefined) {
        best = g;
        progress = true;
        break;
      }
    }
  }
  return best;
};
