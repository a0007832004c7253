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

/**
 * The fields issue 15 made 64-bit (bigints), with the C type they had before: 'u32' in
 * [0, 2^32), 'int' in [-2^31, 2^31) (sign-extended, as the kernel received it).
 */
const LEGACY_WORDS: { readonly [K in Op['kind']]?: Readonly<Record<string, 'u32' | 'int'>> } = {
  createVm: { type: 'u32' },
  checkExtension: { cap: 'int' },
  mmap: { prot: 'int' },
  mprotect: { prot: 'int' },
  mbind: { mode: 'int', nodes: 'u32' },
  setMempolicy: { nodes: 'u32' },
  uffdCreate: { features: 'u32' },
  uffdRegister: { mode: 'u32' },
};

/**
 * Fields added to an op after traces and tokens were recorded with it, and the value an op
 * without them meant: the caller's error_offset went in as 0 before convert had errorOffsetIn
 * (SHR-23's input side, issue 15 round 5).
 */
const ADDED_FIELDS: { readonly [K in Op['kind']]?: Readonly<Record<string, bigint>> } = {
  convert: { errorOffsetIn: 0n },
};

/** An op recorded before a field was added gets the field's old meaning; a present field is left for the check. */
export const fillAddedFields = (v: unknown): unknown => {
  if (!isRecord(v) || typeof v['kind'] !== 'string' || !Object.hasOwn(ADDED_FIELDS, v['kind'])) return v;
  const added = ADDED_FIELDS[v['kind'] as Op['kind']]!;
  const missing = Object.keys(added).filter((k) => !Object.hasOwn(v, k));
  return missing.length === 0 ? v : { ...v, ...Object.fromEntries(missing.map((k) => [k, added[k]])) };
};

/**
 * An op recorded before issue 15 made the words above u64 (a replay token pasted from a mailing
 * list, a trace.json): a number those fields carried then, in the range their old C type had, is
 * read as the bigint the kernel received. Anything else is left for the check to reject (a number
 * where a field was always 64-bit is still an error).
 */
export const widenLegacyWords = (v0: unknown): unknown => {
  const v = fillAddedFields(v0);
  if (!isRecord(v) || typeof v['kind'] !== 'string' || !Object.hasOwn(LEGACY_WORDS, v['kind'])) return v;
  const legacy = LEGACY_WORDS[v['kind'] as Op['kind']]!;
  const out: Record<string, unknown> = { ...v };
  for (const [k, c] of Object.entries(legacy)) {
    const x = v[k];
    if (typeof x !== 'number' || !Number.isInteger(x)) continue;
    const [lo, hi] = c === 'u32' ? RANGES.u32 : RANGES.int;
    if (x >= lo && x <= hi) out[k] = BigInt.asUintN(64, BigInt(x));
  }
  return out;
};
