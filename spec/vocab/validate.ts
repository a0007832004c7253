/**
 * The one boundary check of an op, derived from the declarations (./ops.ts): every kind known,
 * every field present with the right type and inside the range its C type can carry, no field
 * the declaration does not name. Every entry point runs it once before any syscall: the native
 * target's apply(), the agent's message decoding (the wire schema is this check), replay of
 * tokens and traces. A rejection names the op, the field, what came and what is allowed.
 */
import { exact, isRecord, tagged, type Check } from './check.js';
import { InvalidOpError } from './errors.js';
import { RANGES, type Field, type Fields } from './field.js';
import { OPS, type Op } from './ops.js';

/**
 * A value as a message shows it: its type and, for a number, the number (what is out of range);
 * never a string's text, since the op may come from a file or a peer (errors do not echo input).
 */
export const describeValue = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  switch (typeof v) {
    case 'bigint': return `bigint ${v}`;
    case 'number': return `number ${v}`;
    case 'string': return `a string of ${v.length} characters`;
    case 'boolean': return `boolean ${v}`;
    default: return typeof v;
  }
};

const bigIn = (name: string, [lo, hi]: readonly [bigint, bigint]): Check<bigint> => (v, p) =>
  typeof v === 'bigint' && v >= lo && v <= hi ? undefined : `${p}: expected ${name} (a bigint in [${lo}, ${hi}]), got ${describeValue(v)}`;

const intIn = (name: string, lo: number, hi: number): Check<number> => (v, p) =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? undefined : `${p}: expected ${name} (an integer in [${lo}, ${hi}]), got ${describeValue(v)}`;

const fieldCheck = (f: Field<unknown>): Check<unknown> => {
  const t = f.type;
  switch (t.abi) {
    case 'handle': return intIn(`a ${t.cls} handle`, ...RANGES.handle);
    case 'u64': return bigIn('u64', RANGES.u64);
    case 'i64': return bigIn('i64', RANGES.i64);
    case 'int': return intIn('a C int', ...RANGES.int);
    case 'u32': return intIn('u32', ...RANGES.u32);
    case 'byte': return intIn('a byte', ...RANGES.byte);
    case 'count': return intIn('a count', 0, t.max);
    case 'bool': return (v, p) => (typeof v === 'boolean' ? undefined : `${p}: expected a boolean, got ${describeValue(v)}`);
    case 'enum': {
      const names = Object.keys(t.values);
      return (v, p) => (typeof v === 'string' && Object.hasOwn(t.values, v) ? undefined : `${p}: expected one of ${names.join('|')}, got ${describeValue(v)}`);
    }
    case 'words': {
      const word = bigIn('u64', RANGES.u64);
      return (v, p) => {
        if (!Array.isArray(v)) return `${p}: expected an array of at most ${t.max} u64 words, got ${describeValue(v)}`;
        if (v.length > t.max) return `${p}: expected at most ${t.max} u64 words, got ${v.length}`;
        for (let i = 0; i < v.length; i++) {
          const e = word(v[i], `${p}[${i}]`);
          if (e !== undefined) return e;
        }
        return undefined;
      };
    }
    case 'nullable': {
      const inner = fieldCheck(t.inner);
      return (v, p) => (v === null ? undefined : inner(v, p));
    }
    case 'variant':
      return tagged('kind', Object.fromEntries(Object.entries(t.variants).map(([k, fs]) => [k, shape(fs)])));
  }
};

const shape = (fields: Fields): Check<unknown> =>
  exact(Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, fieldCheck(f)])));

/** The wire schema of an op: tagged by `kind`, each kind's fields exact and in range. */
export const opCheck: Check<Op> = tagged('kind', Object.fromEntries(Object.entries(OPS).map(([k, d]) => [k, shape(d.fields as Fields)])));

/** Throws InvalidOpError unless `v` is a well-formed op; narrows it to Op. */
export function validateOp(v: unknown): asserts v is Op {
  const kind = isRecord(v) && typeof v['kind'] === 'string' ? v['kind'] : undefined;
  const e = opCheck(v, kind !== undefined && Object.hasOwn(OPS, kind) ? kind : 'op');
  if (e !== undefined) throw new InvalidOpError(`invalid op ${e}`);
}
