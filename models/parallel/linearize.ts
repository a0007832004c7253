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
 * A failure keeps the deepest dead end: the order that explained the most ops and, for every branch,
 * the op that could not come next with what the spec allowed there — the "why" of the report.
 */
import type { Op, Outcome, Profile } from '../../spec/vocab/index.js';
import type { SpecApi } from '../spec-api.js';
import { isAllowed } from '../../spec/vocab/index.js';
import { newKeyCache, stateKey } from './state-key.js';

/** One op of a branch as the target ran it; start/end (any monotonic unit) when it was timed. */
export interface BranchStep {
  readonly op: Op;
  readonly observed: Outcome;
  readonly start?: number;
  readonly end?: number;
}

/** Where a branch's next op stood when the search gave up on a frontier. */
export interface Blocked {
  readonly branch: number;
  readonly index: number;
  readonly op: Op;
  readonly observed: Outcome;
  /** The spec's allowed set there; absent when real-time order kept the op from coming next. */
  readonly allowed?: readonly Outcome[];
  readonly rules?: readonly string[];
  /** The op (branch, index) that had to come first in real time. */
  readonly after?: readonly [number, number];
}

export type Placed = readonly [branch: number, index: number];

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

interface Search<S> {
  readonly input: LinearizeInput<S>;
  readonly dead: Set<string>;
  readonly cache: ReturnType<typeof newKeyCache>;
  explored: number;
  deepest: Placed[];
  blocked: Blocked[];
}

/** The op of another branch that real time puts before `s`, if any. */
const mustWait = (branches: readonly (readonly BranchStep[])[], pos: readonly number[], b: number, s: BranchStep): Placed | undefined => {
  if (s.start === undefined) return undefined;
  for (let k = 0; k < branches.length; k++) {
    const other = branches[k]![pos[k]!];
    if (k !== b && other?.end !== undefined && other.end < s.start) return [k, pos[k]!];
  }
  return undefined;
};

const walk = <S>(x: Search<S>, state: S, pos: number[], order: Placed[], rules: (readonly string[])[]): boolean => {
  const { spec, profile, branches } = x.input;
  if (pos.every((p, b) => p === branches[b]!.length)) return true;
  const key = `${pos.join(',')}|${stateKey(state, x.cache)}`;
  if (x.dead.has(key)) return false;
  if (++x.explored > (x.input.budget ?? 200_000)) return false;
  const blocked: Blocked[] = [];
  for (let b = 0; b < branches.length; b++) {
    const s = branches[b]![pos[b]!];
    if (s === undefined) continue;
    const base = { branch: b, index: pos[b]!, op: s.op, observed: s.observed };
    const after = mustWait(branches, pos, b, s);
    if (after !== undefined) {
      blocked.push({ ...base, after });
      continue;
    }
    const v = spec.step(profile, state, s.op);
    if (!isAllowed(s.observed, v.allowed)) {
      blocked.push({ ...base, allowed: v.allowed, rules: v.rules });
      continue;
    }
    pos[b]!++;
    order.push([b, base.index]);
    rules.push(v.rules);
    if (walk(x, v.next(s.observed), pos, order, rules)) return true;
    pos[b]!--;
    order.pop();
    rules.pop();
    if (x.explored > (x.input.budget ?? 200_000)) return false;
  }
  if (order.length > x.deepest.length || x.blocked.length === 0) {
    x.deepest = [...order];
    x.blocked = blocked;
  }
  x.dead.add(key);
  return false;
};

export const linearize = <S>(input: LinearizeInput<S>): Linearization => {
  const x: Search<S> = { input, dead: new Set(), cache: newKeyCache(), explored: 0, deepest: [], blocked: [] };
  const order: Placed[] = [];
  const rules: (readonly string[])[] = [];
  if (walk(x, input.state, input.branches.map(() => 0), order, rules)) return { ok: true, order, rules, explored: x.explored };
  return { ok: false, exhausted: x.explored <= (input.budget ?? 200_000), explored: x.explored, deepest: x.deepest, blocked: x.blocked };
};
