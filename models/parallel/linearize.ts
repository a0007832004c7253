/**
 * The linearizability check of a parallel case (eqc's parallel state machines, Jepsen/Knossos):
 * branches of ops ran concurrently after a common prefix; their observed outcomes are explained if
 * some interleaving that keeps each branch's order — and, where the target timed its ops, the
 * real-time order (an op that ended before another began comes first) — has every op's outcome in
 * the set the spec allows in the state the ops before it left. The spec is nondeterministic (a
 * verdict allows a set) but its next state is a function of the observed outcome, so the search is
 * over orderings only: a depth-first walk, memoised on (positions reached, state), which never
 * revisits a frontier it has already shown to be a dead end.
 *
 * An op the kernel does not perform atomically with respect to other threads — a host access that
 * blocked on a userfault — takes part as several linearization points, in order, each judged by
 * the spec where it falls (spec/split.ts: the fault, the monitor's resolve, the retried
 * access). Another branch's op may come between them; they all lie inside the op's own time span.
 *
 * A failure keeps the deepest dead end: the order that explained the most points and, for every
 * branch, the point that could not come next with what the spec allowed there — the "why" of the
 * report.
 */
import type { Op, Outcome, Profile } from '../../spec/vocab/index.js';
import { isAllowed } from '../../spec/vocab/index.js';
import type { Verdict } from '../../spec/verdict.js';
import type { SpecApi } from '../spec-api.js';
import { newKeyCache, stateKey } from './state-key.js';
import { rulesBlamedFirst } from '../../spec/blame.js';

/** One op of a branch as the target ran it; start/end (any monotonic unit) when it was timed. */
export interface BranchStep {
  readonly op: Op;
  readonly observed: Outcome;
  readonly start?: number;
  readonly end?: number;
}

/** Where a branch's next point stood when the search gave up on a frontier. */
export interface Blocked {
  readonly branch: number;
  /** The op's index in its branch. */
  readonly index: number;
  /** The linearization point of a split op (fault, resolve, access); absent for an atomic op. */
  readonly point?: string;
  readonly op: Op;
  /** What the point observed (absent for an internal point). */
  readonly observed?: Outcome;
  /** The spec's allowed set there; absent when real-time order kept the op from coming next. */
  readonly allowed?: readonly Outcome[];
  readonly rules?: readonly string[];
  /** The op (branch, index) that had to come first in real time. */
  readonly after?: readonly [number, number];
}

/**
 * A placed point: branch, op index in the branch, the point label of a split op, and for an
 * internal point what happened there (the value of the spec's internal outcome, e.g. 'faulted in').
 */
export type Placed = readonly [branch: number, index: number, point?: string, happened?: string];

export type Linearization =
  | { readonly ok: true; readonly order: readonly Placed[]; readonly rules: readonly (readonly string[])[]; readonly explored: number }
  | {
      readonly ok: false;
      /** false: the node budget ran out first, so the case is undecided (never a pass). */
      readonly exhausted: boolean;
      readonly explored: number;
      /** The longest prefix of an interleaving that every outcome so far allowed. */
      readonly deepest: readonly Placed[];
      readonly blocked: readonly Blocked[];
    };

export interface LinearizeInput<S> {
  readonly spec: SpecApi<S>;
  readonly profile: Profile;
  /** The spec state after the sequential prefix. */
  readonly state: S;
  readonly branches: readonly (readonly BranchStep[])[];
  /** Search nodes before giving up (default 200,000; 3 branches of 4 ops have at most 34,650 orders). */
  readonly budget?: number;
}

/** One linearization point: an atomic op, or one point of a split op (`observed` undefined: an internal point). */
interface Unit<S> {
  /** The branch whose op it belongs to (a detached point has a lane of its own). */
  readonly branch: number;
  /** A detached point: placeable once this many points of its branch's lane are placed. */
  readonly after?: number;
  readonly step: BranchStep;
  readonly index: number;
  readonly point?: string;
  /** The op's first point (the outcomes taken at earlier points of the same op start afresh). */
  readonly first: boolean;
  readonly observed?: Outcome;
  judge(p: Profile, s: S, prior: readonly Outcome[]): Verdict<S>;
}

/**
 * The lanes of the search: one per branch, holding its points in order, then one per detached
 * point (done by another thread — the uffd monitor — after the point before it in its op, but in
 * no order with the op's later points, the branch's later ops or real time).
 */
const lanesOf = <S>(spec: SpecApi<S>, branches: readonly (readonly BranchStep[])[]): Unit<S>[][] => {
  const detached: Unit<S>[] = [];
  const lanes = branches.map((steps, branch) => {
    const lane: Unit<S>[] = [];
    steps.forEach((step, index) => {
      const points = spec.splitOp?.(step.op, step.observed);
      if (points === undefined) {
        lane.push({ branch, step, index, first: true, observed: step.observed, judge: (p, s) => spec.step(p, s, step.op) });
        return;
      }
      points.forEach((pt, k) => {
        const u = { branch, index, point: pt.label, first: k === 0, ...(pt.observed !== undefined ? { observed: pt.observed } : {}), judge: (p: Profile, s: S, prior: readonly Outcome[]) => pt.judge(p, s, prior) };
        if (pt.detached) detached.push({ ...u, step: { op: step.op, observed: step.observed }, after: lane.length });
        else lane.push({ ...u, step });
      });
    });
    return lane;
  });
  return [...lanes, ...detached.map((u) => [u])];
};

interface Search<S> {
  readonly input: LinearizeInput<S>;
  readonly units: readonly (readonly Unit<S>[])[];
  readonly budget: number;
  readonly dead: Set<string>;
  readonly cache: ReturnType<typeof newKeyCache>;
  explored: number;
  deepest: Placed[];
  blocked: Blocked[];
}

/** The op of another branch that real time puts before `u`, if any. */
const mustWait = <S>(units: readonly (readonly Unit<S>[])[], pos: readonly number[], b: number, u: Unit<S>): readonly [number, number] | undefined => {
  if (u.step.start === undefined) return undefined;
  for (let k = 0; k < units.length; k++) {
    const other = units[k]![pos[k]!];
    if (k !== b && other?.step.end !== undefined && other.step !== u.step && other.step.end < u.step.start) return [k, other.index];
  }
  return undefined;
};

/** A detached point whose op has not reached it yet. */
const early = <S>(pos: readonly number[], u: Unit<S>): boolean => u.after !== undefined && pos[u.branch]! < u.after;

const placed = <S>(b: number, u: Unit<S>, o: Outcome): Placed => {
  if (u.point === undefined) return [b, u.index];
  if (u.observed !== undefined || o.kind !== 'ok' || typeof o.value !== 'string') return [b, u.index, u.point];
  return [b, u.index, u.point, o.value];
};

const walk = <S>(x: Search<S>, state: S, pos: number[], prior: Outcome[][], order: Placed[], rules: (readonly string[])[]): boolean => {
  const { profile } = x.input;
  const units = x.units;
  if (pos.every((p, b) => p === units[b]!.length)) return true;
  // What a branch in the middle of a split op chose at its earlier points is part of where we are.
  const mid = pos.map((p, b) => (units[b]![p]?.first === false ? stateKey(prior[b], x.cache) : '')).join(';');
  const key = `${pos.join(',')}|${mid}|${stateKey(state, x.cache)}`;
  if (x.dead.has(key)) return false;
  if (++x.explored > x.budget) return false;
  const blocked: Blocked[] = [];
  for (let b = 0; b < units.length; b++) {
    const u = units[b]![pos[b]!];
    if (u === undefined || early(pos, u)) continue;
    const base = {
      branch: u.branch, index: u.index, ...(u.point !== undefined ? { point: u.point } : {}), op: u.step.op,
      ...(u.observed !== undefined ? { observed: u.observed } : {}),
    };
    const after = mustWait(units, pos, b, u);
    if (after !== undefined) {
      blocked.push({ ...base, after });
      continue;
    }
    const pr = u.first ? [] : prior[b]!;
    const v = u.judge(profile, state, pr);
    // An internal point may have taken any allowed outcome: each is a way on.
    const outs = u.observed === undefined ? v.allowed : isAllowed(u.observed, v.allowed) ? [u.observed] : [];
    if (outs.length === 0) {
      // Headed by the rule whose own allowed set excluded the observation (spec/blame.ts), as lockstep does.
      blocked.push({ ...base, allowed: v.allowed, rules: u.observed === undefined ? v.rules : rulesBlamedFirst(v, u.observed) });
      continue;
    }
    const saved = prior[b]!;
    for (const o of outs) {
      pos[b]!++;
      prior[b] = [...pr, o];
      order.push(placed(u.branch, u, o));
      rules.push(v.rules);
      if (walk(x, v.next(o), pos, prior, order, rules)) return true;
      pos[b]!--;
      prior[b] = saved;
      order.pop();
      rules.pop();
      if (x.explored > x.budget) return false;
    }
  }
  if (order.length > x.deepest.length || x.blocked.length === 0) {
    x.deepest = [...order];
    x.blocked = blocked;
  }
  x.dead.add(key);
  return false;
};

export const linearize = <S>(input: LinearizeInput<S>): Linearization => {
  const units = lanesOf(input.spec, input.branches);
  const x: Search<S> = {
    input, units, budget: input.budget ?? 200_000, dead: new Set(), cache: newKeyCache(), explored: 0, deepest: [], blocked: [],
  };
  const order: Placed[] = [];
  const rules: (readonly string[])[] = [];
  if (walk(x, input.state, units.map(() => 0), units.map(() => []), order, rules)) return { ok: true, order, rules, explored: x.explored };
  return { ok: false, exhausted: x.explored <= x.budget, explored: x.explored, deepest: x.deepest, blocked: x.blocked };
};
