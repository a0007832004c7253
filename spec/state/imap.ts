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

/**
 * A persistent treap of runs ordered by start. Priorities are a hash of the run's start, so the
 * structure stays pure and deterministic while its expected depth is logarithmic: a file with
 * tens of thousands of ranges costs O(log n) per lookup and O(log n + k) per edit, and an edit
 * copies only the path it touches (the old version stays valid for the states that share it).
 */
interface Node<V> extends Run<V> {
  readonly p: number;
  readonly l: IMap<V>;
  readonly r: IMap<V>;
}
export type IMap<V> = Node<V> | null;

export const EMPTY: IMap<never> = null;

/** A well-mixed 32-bit hash of a (≤ 2^53) start key: the treap priority. */
const prio = (k: number): number => {
  let h = Math.imul((k % 4294967296) ^ Math.imul(Math.floor(k / 4294967296), 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
};

const mk = <V>(s: number, e: number, v: V, l: IMap<V>, r: IMap<V>): Node<V> => ({ s, e, v, p: prio(s), l, r });
const withKids = <V>(t: Node<V>, l: IMap<V>, r: IMap<V>): Node<V> => (t.l === l && t.r === r ? t : { s: t.s, e: t.e, v: t.v, p: t.p, l, r });

/** [runs starting before k, runs starting at or after k]. */
const split = <V>(t: IMap<V>, k: number): [IMap<V>, IMap<V>] => {
  if (t === null) return [null, null];
  if (t.s < k) {
    const [a, b] = split(t.r, k);
    return [withKids(t, t.l, a), b];
  }
  const [a, b] = split(t.l, k);
  return [a, withKids(t, b, t.r)];
};

/** Every run of a starts before every run of b. */
const join = <V>(a: IMap<V>, b: IMap<V>): IMap<V> => {
  if (a === null) return b;
  if (b === null) return a;
  return a.p > b.p ? withKids(a, a.l, join(a.r, b)) : withKids(b, join(a, b.l), b.r);
};

const last = <V>(t: IMap<V>): Node<V> | undefined => {
  let n = t ?? undefined;
  while (n?.r) n = n.r;
  return n;
};
const first = <V>(t: IMap<V>): Node<V> | undefined => {
  let n = t ?? undefined;
  while (n?.l) n = n.l;
  return n;
};
const dropLast = <V>(t: IMap<V>): IMap<V> => (t === null ? null : t.r === null ? t.l : withKids(t, t.l, dropLast(t.r)));
const dropFirst = <V>(t: IMap<V>): IMap<V> => (t === null ? null : t.l === null ? t.r : withKids(t, dropFirst(t.l), t.r));

/** The run containing k, if any. */
const find = <V>(t: IMap<V>, k: number): Node<V> | undefined => {
  let n = t;
  while (n !== null) {
    if (k < n.s) n = n.l;
    else if (k >= n.e) n = n.r;
    else return n;
  }
  return undefined;
};

export const imGet = <V>(m: IMap<V>, k: number): V | undefined => find(m, k)?.v;

/** Set [s, e) to v (undefined erases). Returns the same map when nothing changes. */
export const imSet = <V>(m: IMap<V>, s: number, e: number, v: V | undefined): IMap<V> => {
  if (e <= s) return m;
  const at = find(m, s);
  if (v !== undefined && at !== undefined && at.v === v && at.e >= e) return m;
  if (v === undefined && !imAny(m, s, e)) return m;
  const [below, rest] = split(m, s);
  const [inside, above] = split(rest, e);
  const pieces: Run<V>[] = [];
  let left = below;
  const straddle = last(below);
  if (straddle !== undefined && straddle.e > s) {
    left = dropLast(below);
    pieces.push({ s: straddle.s, e: s, v: straddle.v });
  }
  if (v !== undefined) pieces.push({ s, e, v });
  const tail = straddle !== undefined && straddle.e > e ? straddle : last(inside);
  if (tail !== undefined && tail.e > e) pieces.push({ s: e, e: tail.e, v: tail.v });
  // Coalesce with the untouched neighbours when they touch and hold the same value.
  let right = above;
  const before = last(left);
  if (before !== undefined && pieces[0] !== undefined && before.e === pieces[0].s && before.v === pieces[0].v) {
    left = dropLast(left);
    pieces.unshift({ s: before.s, e: before.e, v: before.v });
  }
  const after = first(above);
  const end = pieces[pieces.length - 1];
  if (after !== undefined && end !== undefined && end.e === after.s && end.v === after.v) {
    right = dropFirst(above);
    pieces.push({ s: after.s, e: after.e, v: after.v });
  }
  const merged: Run<V>[] = [];
  for (const r of pieces) {
    const prev = merged[merged.length - 1];
    if (prev !== undefined && prev.e === r.s && prev.v === r.v) merged[merged.length - 1] = { s: prev.s, e: r.e, v: r.v };
    else merged.push(r);
  }
  let mid: IMap<V> = null;
  for (const r of merged) mid = join(mid, mk(r.s, r.e, r.v, null, null));
  return join(join(left, mid), right);
};

/** The map's only run, when it has exactly one. */
export const imOnly = <V>(m: IMap<V>): Run<V> | undefined => (m !== null && m.l === null && m.r === null ? m : undefined);

/** All runs in order (reports and tests; O(n)). */
export const imRuns = <V>(m: IMap<V>): Run<V>[] => {
  const out: Run<V>[] = [];
  const walk = (t: IMap<V>): void => {
    if (t === null) return;
    walk(t.l);
    out.push({ s: t.s, e: t.e, v: t.v });
    walk(t.r);
  };
  walk(m);
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
  if (e <= s) return;
  let k = s;
  // In-order walk of the runs overlapping [s, e): left runs end by t.s, right runs start at t.e.
  const walk = (t: IMap<V>): boolean => {
    if (t === null) return false;
    if (t.s > s && walk(t.l)) return true;
    if (t.e > s && t.s < e) {
      if (t.s > k) {
        if (f(k, t.s, undefined) === true) return true;
        k = t.s;
      }
      const b = Math.min(t.e, e);
      if (f(k, b, t.v) === true) return true;
      k = b;
    }
    return t.e < e ? walk(t.r) : false;
  };
  if (!walk(m) && k < e) f(k, e, undefined);
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
