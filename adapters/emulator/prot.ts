/**
 * The protection of an emulated mapping's page: a partial mprotect leaves runs with their own
 * protection (Mapping.protAt, split VMAs); the other pages have the mapping's `prot`. Walks go run
 * by run, never page by page over a caller's length.
 */
import { RangeMap } from './rangemap.js';
import type { Mapping } from './state.js';

export const pageProt = (m: Mapping, mp: number): number => m.protAt.get(mp) ?? m.prot;

/** The first page of [a, b) whose protection fails `ok`, or undefined. */
export const firstDenied = (m: Mapping, a: number, b: number, ok: (prot: number) => boolean): number | undefined => {
  let k = a;
  for (const [s, e, v] of m.protAt.overlaps(a, b)) {
    if (k < s && !ok(m.prot)) return k;
    if (!ok(v)) return Math.max(s, a);
    k = e;
  }
  return k < b && !ok(m.prot) ? k : undefined;
};

/** Pages [a, b) at `prot`; the whole mapping: the runs go. */
export const setProt = (m: Mapping, a: number, b: number, prot: number): void => {
  if (a <= 0 && b >= m.npages) {
    m.prot = prot;
    m.protAt.clear();
    return;
  }
  if (prot === m.prot) m.protAt.delete(a, b);
  else m.protAt.set(a, b, prot);
};

/** A copy of a run table (fork's VMA copies). */
export const copyRuns = <V>(from: RangeMap<V>): RangeMap<V> => {
  const to = new RangeMap<V>();
  for (const [s, e, v] of from.overlaps(0, Number.MAX_SAFE_INTEGER)) to.set(s, e, v);
  return to;
};
