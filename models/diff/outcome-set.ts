/** Set comparisons of allowed outcome lists (order and duplicates do not matter). */
import type { Outcome } from '../../spec/vocab/index.js';
import { isAllowed } from '../../spec/vocab/index.js';

export const sameOutcomeSet = (a: readonly Outcome[], b: readonly Outcome[]): boolean =>
  a.every((o) => isAllowed(o, b)) && b.every((o) => isAllowed(o, a));

/** Outcomes in `a` that `b` does not allow. */
export const outcomeMinus = (a: readonly Outcome[], b: readonly Outcome[]): Outcome[] => a.filter((o) => !isAllowed(o, b));
