/**
 * A key for an immutable value (the spec's abstract state), for memoising the linearizability
 * search. Sound for memoisation: equal keys mean structurally equal values, so a state the search
 * already explored is never confused with a different one (two equal states with different
 * internal shapes, e.g. unmerged runs, only cost a second exploration). It walks the value
 * generically (objects with sorted keys, arrays, Maps, bigints), so it needs no knowledge of the
 * state's shape and stays complete when the state grows a field; map-like values (ReadonlyMap)
 * are keyed by their entries, not by their trie shape.
 * Sub-values are shared between successive states (persistent structures): the per-search cache
 * keyed by object identity makes each shared subtree cost once.
 */
export type KeyCache = WeakMap<object, string>;

export const newKeyCache = (): KeyCache => new WeakMap();

/** Map, or a persistent map implementing ReadonlyMap (spec/state/pmap.ts): keyed by contents, not by trie shape. */
const isMapLike = (o: object): o is ReadonlyMap<unknown, unknown> =>
  o instanceof Map || (typeof (o as Partial<ReadonlyMap<unknown, unknown>>).entries === 'function' && typeof (o as Partial<ReadonlyMap<unknown, unknown>>).get === 'function');

export const stateKey = (v: unknown, cache: KeyCache): string => {
  switch (typeof v) {
    case 'bigint': return `${v}n`;
    case 'number': return Number.isNaN(v) ? 'NaN' : String(v);
    case 'string': return JSON.stringify(v);
    case 'boolean': return v ? 't' : 'f';
    case 'undefined': return 'u';
    case 'function': return 'fn';
    case 'symbol': return v.toString();
    default: break;
  }
  if (v === null) return 'n';
  const o = v as object;
  const hit = cache.get(o);
  if (hit !== undefined) return hit;
  let out: string;
  if (Array.isArray(o)) out = `[${o.map((x) => stateKey(x, cache)).join(',')}]`;
  else if (isMapLike(o)) out = `M{${[...o.entries()].map(([k, x]) => `${stateKey(k, cache)}:${stateKey(x, cache)}`).sort().join(',')}}`;
  else if (o instanceof Set) out = `S{${[...o].map((x) => stateKey(x, cache)).sort().join(',')}}`;
  else {
    const rec = o as Record<string, unknown>;
    out = `{${Object.keys(rec).filter((k) => rec[k] !== undefined).sort().map((k) => `${k}:${stateKey(rec[k], cache)}`).join(',')}}`;
  }
  cache.set(o, out);
  return out;
};
