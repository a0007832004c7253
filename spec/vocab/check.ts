/**
 * A tiny structural validator kit. A Check returns undefined when the value is acceptable and a
 * short reason (with its path) when not. The phantom type parameter lets a schema table be typed
 * against the vocabulary (see ./op.ts), so a field added to an op without a check fails tsc.
 */
export type Check<T> = ((v: unknown, path: string) => string | undefined) & { readonly __type?: T };

const mk = <T>(fn: (v: unknown, path: string) => string | undefined): Check<T> => fn as Check<T>;

/** A plain JSON object (what JSON.parse and spec/vocab/codec.ts produce), not an array or null. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;

export const int = (min: number, max: number): Check<number> =>
  mk((v, p) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : `${p}: expected an integer in [${min}, ${max}], got ${describe(v)}`));

export const big = (min: bigint, max: bigint): Check<bigint> =>
  mk((v, p) => (typeof v === 'bigint' && v >= min && v <= max ? undefined : `${p}: expected a bigint in [${min}, ${max}], got ${describe(v)}`));

export const bool: Check<boolean> = mk((v, p) => (typeof v === 'boolean' ? undefined : `${p}: expected a boolean, got ${describe(v)}`));

export const str = (maxLen: number): Check<string> =>
  mk((v, p) => (typeof v === 'string' && v.length <= maxLen ? undefined : `${p}: expected a string of at most ${maxLen} characters`));

export const oneOf = <T extends string>(...values: readonly T[]): Check<T> =>
  mk((v, p) => ((values as readonly unknown[]).includes(v) ? undefined : `${p}: expected one of ${values.join('|')}`));

export const nullable = <T>(c: Check<T>): Check<T | null> => mk((v, p) => (v === null ? undefined : c(v, p)));

export const arrayOf = <T>(c: Check<T>, maxLen: number): Check<readonly T[]> =>
  mk((v, p) => {
    if (!Array.isArray(v)) return `${p}: expected an array, got ${describe(v)}`;
    if (v.length > maxLen) return `${p}: more than ${maxLen} elements`;
    for (let i = 0; i < v.length; i++) {
      const e = c(v[i], `${p}[${i}]`);
      if (e !== undefined) return e;
    }
    return undefined;
  });

export type Shape = Readonly<Record<string, Check<unknown>>>;

/**
 * An object with exactly these fields: every required field present and valid, optional ones valid
 * when present, and no field the shape does not name (unknown fields are rejected, not ignored, so
 * a newer client cannot silently be half-understood).
 */
export const exact = <T>(required: Shape, optional: Shape = {}): Check<T> =>
  mk((v, p) => {
    if (!isRecord(v)) return `${p}: expected an object, got ${describe(v)}`;
    for (const k of Object.keys(v)) {
      if (!Object.hasOwn(required, k) && !Object.hasOwn(optional, k)) return `${p}: unknown field "${k}"`;
    }
    for (const [k, c] of Object.entries(required)) {
      if (!Object.hasOwn(v, k)) return `${p}: missing field "${k}"`;
      const e = c(v[k], `${p}.${k}`);
      if (e !== undefined) return e;
    }
    for (const [k, c] of Object.entries(optional)) {
      if (!Object.hasOwn(v, k)) continue;
      const e = c(v[k], `${p}.${k}`);
      if (e !== undefined) return e;
    }
    return undefined;
  });

/** A union tagged by `tag`: the tag picks the variant's exact shape (the tag itself excluded). */
export const tagged = <T>(tag: string, variants: Readonly<Record<string, Check<unknown>>>): Check<T> =>
  mk((v, p) => {
    if (!isRecord(v)) return `${p}: expected an object, got ${describe(v)}`;
    const t = v[tag];
    // The value is not echoed: a validation error never repeats what the peer or a file sent.
    if (typeof t !== 'string' || !Object.hasOwn(variants, t)) return `${p}.${tag}: unknown ${tag} (${describe(t)})`;
    const { [tag]: _, ...rest } = v;
    return variants[t]!(rest, p);
  });

/** Runs a check and narrows: the value is a T exactly when the result is ok. */
export const validate = <T>(c: Check<T>, v: unknown, path = '$'): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string } => {
  const e = c(v, path);
  return e === undefined ? { ok: true, value: v as T } : { ok: false, reason: e };
};
