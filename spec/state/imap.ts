/**
 * An immutable interval map over integer keys (page indices, byte offsets within a page, GFNs).
 * Runs are sorted, disjoint and half-open [s, e); an absent key has no value. Adjacent runs whose
 * values are identical (===) are merged, so a 2^51-page file with one attribute is one run: the
 * cost of every operation depends on the number of runs, never on the size of the key space.
 * Keys stay below 2^53 (page indices < 2^52 always do), so plain numbers are exact.
 */
export interface Run<V> {
  readonly s: number;
  readonly e: number;
  readonly v: V;
}
export type IMap<V> = readonly Run<V>[];

export const EMPTY: IMap<never> = Object.freeze([]) as IMap<never>;

/** Index of the first run whose end is > k (runs.length if none). */
const firstEndingAfter = <V>(m: IMap<V>, k: number): number => {
  let lo = 0;
  let hi = m.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (m[mid]!.e > k) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

export const imGet = <V>(m: IMap<V>, k: number): V | undefined => {
  const i = firstEndingAfter(m, k);
  const r = m[i];
  return r !== undefined && r.s <= k ? r.v : undefined;
};

/** Set [s, e) to v (undefined erases). Returns the same array when nothing changes. */
export const imSet = <V>(m: IMap<V>, s: number, e: number, v: V | undefined): IMap<V> => {
  if (e <= s) return m;
  const lo = firstEndingAfter(m, s);
  let hi = lo;
  while (hi < m.length && m[hi]!.s < e) hi++;
  // No-op fast paths: erasing nothing, or setting a range already covered by one equal run.
  if (v === undefined && lo === hi) return m;
  if (v !== undefined && hi === lo + 1 && m[lo]!.v === v && m[lo]!.s <= s && m[lo]!.e >= e) return m;
  const out: Run<V>[] = m.slice(0, lo);
  const first = m[lo];
  const last = m[hi - 1];
  if (first !== undefined && lo < hi && first.s < s) out.push({ s: first.s, e: s, v: first.v });
  if (v !== undefined) out.push({ s, e, v });
  if (last !== undefined && lo < hi && last.e > e) out.push({ s: e, e: last.e, v: last.v });
  for (let i = hi; i < m.length; i++) out.push(m[i]!);
  return merge(out, Math.max(0, lo - 1), lo + 3);
};

/** Merge equal neighbours in out[from..to] (only where an edit happened). */
const merge = <V>(out: Run<V>[], from: number, to: number): IMap<V> => {
  let i = Math.max(from, 0);
  const stop = Math.min(to, out.length - 1);
  let end = stop;
  while (i < end && i < out.length - 1) {
    const a = out[i]!;
    const b = out[i + 1]!;
    if (a.e === b.s && a.v === b.v) {
      out.splice(i, 2, { s: a.s, e: b.e, v: a.v });
      end--;
    } else i++;
  }
  return out;
};

/** One constant piece of [s, e): v is undefined in gaps. */
export interface Seg<V> {
  readonly s: number;
  readonly e: number;
  readonly v: V | undefined;
}

/** Visit [s, e) as constant pieces, gaps included; stop early when f returns true. */
export const imEach = <V>(m: IMap<V>, s: number, e: number, f: (a: number, b: number, v: V | undefined) => boolean | void): void => {
  let k = s;
  for (let i = firstEndingAfter(m, s); k < e; i++) {
    const r = m[i];
    if (r === undefined || r.s >= e) {
      f(k, e, undefined);
      return;
    }
    if (r.s > k) {
      if (f(k, r.s, undefined) === true) return;
      k = r.s;
    }
    const b = Math.min(r.e, e);
    if (f(k, b, r.v) === true) return;
    k = b;
  }
};

/** The first key in [s, e) whose value satisfies pred (undefined values included), or undefined. */
export const imFind = <V>(m: IMap<V>, s: number, e: number, pred: (v: V | undefined) => boolean): number | undefined => {
  let found: number | undefined;
  imEach(m, s, e, (a, _b, v) => {
    if (pred(v)) {
      found = a;
      return true;
    }
    return false;
  });
  return found;
};

/** Map every piece of [s, e) (gaps included) through f. */
export const imUpdate = <V>(m: IMap<V>, s: number, e: number, f: (v: V | undefined) => V | undefined): IMap<V> => {
  const pieces: Seg<V>[] = [];
  imEach(m, s, e, (a, b, v) => {
    pieces.push({ s: a, e: b, v: f(v) });
  });
  let out = m;
  for (const p of pieces) out = imSet(out, p.s, p.e, p.v);
  return out;
};

/** The runs of [s, e) shifted by -s + to (used to move between map-relative and file-relative keys). */
export const imSlice = <V>(m: IMap<V>, s: number, e: number, to: number): Run<V>[] => {
  const out: Run<V>[] = [];
  imEach(m, s, e, (a, b, v) => {
    if (v !== undefined) out.push({ s: a - s + to, e: b - s + to, v });
  });
  return out;
};

/** Does any key of [s, e) have a value? */
export const imAny = <V>(m: IMap<V>, s: number, e: number): boolean => imFind(m, s, e, (v) => v !== undefined) !== undefined;
