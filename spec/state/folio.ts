/** Interned folio states and policies, so interval maps merge equal neighbours by identity. */
import type { Folio, Policy } from './types.js';

const F: readonly Folio[] = Array.from({ length: 8 }, (_, i) =>
  Object.freeze({ uptodate: (i & 1) !== 0, dmapGone: (i & 2) !== 0, maybeLarge: (i & 4) !== 0 }));

export const folio = (uptodate: boolean, dmapGone: boolean, maybeLarge = false): Folio =>
  F[(uptodate ? 1 : 0) + (dmapGone ? 2 : 0) + (maybeLarge ? 4 : 0)]!;

/** Equal policies as mpol_equal sees them: mode, flags, nodes and the home node (mm/mempolicy.c __mpol_equal, v7.2). */
export const policyEq = (a: Policy | undefined | null, b: Policy | undefined | null): boolean =>
  (a ?? null) === (b ?? null) || (a != null && b != null && a.mode === b.mode && a.nodes === b.nodes && (a.home ?? -1) === (b.home ?? -1));
