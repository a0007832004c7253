/** Interned folio states and policies, so interval maps merge equal neighbours by identity. */
import type { Folio, Policy } from './types.js';

const F: readonly Folio[] = [
  Object.freeze({ uptodate: false, dmapGone: false }),
  Object.freeze({ uptodate: true, dmapGone: false }),
  Object.freeze({ uptodate: false, dmapGone: true }),
  Object.freeze({ uptodate: true, dmapGone: true }),
];

export const folio = (uptodate: boolean, dmapGone: boolean): Folio => F[(uptodate ? 1 : 0) + (dmapGone ? 2 : 0)]!;

/** Policies are interned per (mode, nodes) value within one state's lifetime via a pure key. */
export const policyEq = (a: Policy | undefined | null, b: Policy | undefined | null): boolean =>
  (a ?? null) === (b ?? null) || (a != null && b != null && a.mode === b.mode && a.nodes === b.nodes);
