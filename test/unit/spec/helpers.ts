/** Test helpers: drive the spec through a sequence, taking the single allowed outcome (or a chosen one). */
import { expect } from 'vitest';
import { initialState, step, type SpecState, type Verdict } from '../../../spec/index.js';
import type { Op, Outcome, Profile } from '../../../spec/vocab/index.js';
import { PAGE_SIZE } from '../../../spec/vocab/handles.js';

/** The page size (spec/vocab/handles.ts), re-exported for this module's users. */
export const P = PAGE_SIZE;

export interface Driver {
  state: SpecState;
  /** Step an op; when `pick` is given, that outcome must be allowed and drives the next state. */
  do(op: Op, pick?: Outcome): Verdict<SpecState>;
  /** Step an op that must have exactly one allowed outcome, and return it. */
  one(op: Op): Outcome;
}

export const driver = (p: Profile): Driver => {
  const d: Driver = {
    state: initialState(p),
    do(op, pick) {
      const v = step(p, d.state, op);
      expect(v.rules.length).toBeGreaterThan(0);
      const o = pick ?? v.allowed[0]!;
      if (pick !== undefined) expect(v.allowed).toContainEqual(pick);
      d.state = v.next(o);
      return v;
    },
    one(op) {
      const v = d.do(op);
      expect(v.allowed, JSON.stringify(v.allowed, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))).toHaveLength(1);
      return v.allowed[0]!;
    },
  };
  return d;
};

export const MB = 1n << 20n;
