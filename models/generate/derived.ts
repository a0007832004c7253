/**
 * A template for any op, read off its declaration (spec/vocab/ops.ts): every field gets a choice by
 * its ABI type and is resolved against the sequence so far, so a newly declared op is generated —
 * and reaches every target, the minimiser and the reproducer — before anyone writes a template for
 * it. Hand-written templates (./templates/) replace it where a domain needs aim (hot pages, the
 * file's EOF, memslot layouts); this one aims only as far as the declaration says:
 * - a handle names a live one of its class (modulo, so shrinking keeps it valid); a created
 *   handle takes the next index;
 * - an offset into the op's mapping (`inMap`) and the `map` it names are placed together, on the
 *   file's hot page a third of the time, and a `length`/`len` field then runs from there;
 * - with an `fd`, an `offset` is edge-biased against the file's requested size and a length
 *   against the rest of the file;
 * - a flag word takes combinations of its declared bits plus the edge bits the kernel must refuse
 *   or ignore (31, 32 and 63 where the C type has them, and an unknown low bit); an enum-like
 *   number its declared values and an unknown one; other words their type's edges.
 * Lengths stay within the generator's allocation limit (GenLimits), as every template's must.
 */
import fc from 'fast-check';
import { OP_KINDS, declOf, type Op, type OpKind } from '../../spec/vocab/index.js';
import type { Abi, Field, Fields, HandleClass, TextHint } from '../../spec/vocab/field.js';
import { PAGE_SIZE as P } from '../../spec/vocab/handles.js';
import { hotInMap, pick, type GenContext } from './context.js';
import { hotArb, lenArb, offsetArb, resolveInMap, resolveLen, resolveOffset, s64, u64, type LenChoice, type OffsetChoice } from './choices.js';
import { template, type Template } from './template.js';

/** A generated choice for one field, resolved once the fields before it are. */
type Resolver = (ctx: GenContext, done: Record<string, unknown>) => unknown;

const count = (ctx: GenContext, cls: HandleClass): number =>
  ({ vm: ctx.vms, fd: ctx.fds.length, map: ctx.maps.length, uffd: ctx.uffds, pin: ctx.pins, vcpu: ctx.vcpus })[cls];

/** A declared value as an unsigned word (a number is a C int/unsigned: its 32 bits; a bigint a 64-bit word). */
const unsignedWord = (v: number | bigint): bigint => (typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt(v >>> 0));
const bitValues = (hint: TextHint | undefined): bigint[] =>
  hint !== undefined && hint !== 'hex' && 'bits' in hint ? Object.values(hint.bits).map(unsignedWord) : [];
const nameValues = (hint: TextHint | undefined): bigint[] =>
  hint !== undefined && hint !== 'hex' && 'names' in hint ? Object.values(hint.names).map(unsignedWord) : [];

/** A flag word: OR of a subset of the declared bits, sometimes with an edge bit added. */
const flagWord = (bits: readonly bigint[], edges: readonly bigint[]): fc.Arbitrary<bigint> =>
  fc.tuple(fc.subarray([...bits]), fc.oneof({ weight: 6, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constantFrom(...edges) }))
    .map(([on, edge]) => on.reduce((w, b) => w | b, 0n) | edge);

/** Edge values of an integer type: 0, 1, small, the sign bit, all ones. */
const wordEdges = (width: 32 | 64): bigint[] =>
  width === 32 ? [0n, 1n, 2n, P, 1n << 31n, (1n << 32n) - 1n] : [0n, 1n, P, 1n << 31n, 1n << 32n, 1n << 63n, (1n << 64n) - 1n];

const asInt = (w: bigint): number => Number(BigInt.asIntN(32, w));
const asU32 = (w: bigint): number => Number(BigInt.asUintN(32, w));

/** A 32-bit number field: flag bits, declared values, or edges; as the JS value its C type carries. */
const word32 = (hint: TextHint | undefined, signed: boolean): fc.Arbitrary<number> => {
  const bits = bitValues(hint);
  const names = nameValues(hint);
  const mask = bits.reduce((a, b) => a | b, 0n);
  // The lowest bit no declared flag uses: what a kernel must refuse (or, by its rule, ignore).
  const unknownBit = (mask + 1n) & ~mask;
  const raw = bits.length > 0 ? flagWord(bits, [1n << 31n, unknownBit])
    : names.length > 0 ? fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...names) }, { weight: 1, arbitrary: fc.constantFrom(-1n, 1n << 31n, 1000n) })
      : fc.constantFrom(...wordEdges(32));
  return raw.map(signed ? asInt : asU32);
};

const word64 = (hint: TextHint | undefined): fc.Arbitrary<bigint> => {
  const bits = bitValues(hint);
  return bits.length > 0 ? flagWord(bits, [1n << 31n, 1n << 32n, 1n << 63n]) : fc.constantFrom(...wordEdges(64));
};

const LEN_NAMES = new Set(['length', 'len', 'size']);

/** The choice and resolution of one field, given the declaration it sits in. */
const fieldArb = (name: string, field: Field<unknown>, fields: Fields): fc.Arbitrary<Resolver> => {
  const t: Abi = field.type;
  const hasInMap = Object.values(fields).some((f) => f.inMap);
  switch (t.abi) {
    case 'handle':
      if (t.creates) return fc.constant((ctx) => count(ctx, t.cls));
      // The `map` of an op with an in-map offset is placed with that offset (below).
      if (t.cls === 'map' && hasInMap) return fc.constant((ctx, done) => done[name] ?? pick(0, ctx.maps.length));
      return fc.nat().map((n) => (ctx) => pick(n, count(ctx, t.cls)));
    case 'i64':
      if (field.inMap) {
        return fc.record({ n: fc.nat(), off: offsetArb({ huge: 0, near63: 0 }), hot: hotArb }).map(({ n, off, hot }) => (ctx, done) => {
          const h = hot ? hotInMap(ctx, n) : undefined;
          const map = h?.map ?? pick(n, ctx.maps.length);
          done[mapField(fields)] = map;
          return h?.offset ?? resolveInMap(off, ctx.maps[map]?.length ?? P);
        });
      }
      if (isLength(name, field, fields)) return lengthArb(hasInMap, true);
      return offsetArb().map((off: OffsetChoice) => (ctx, done) => s64(resolveOffset(off, fileSize(ctx, done))));
    case 'u64':
      if (isLength(name, field, fields)) return lengthArb(hasInMap, false);
      return word64(field.text).map((w) => () => w);

    case 'int': return word32(field.text, true).map((v) => () => v);
    case 'u32': return word32(field.text, false).map((v) => () => v);
    case 'byte': return fc.integer({ min: 0, max: 255 }).map((v) => () => v);
    case 'bool': return fc.boolean().map((v) => () => v);
    case 'count': return fc.constantFrom(0, 1, 2, 4096).filter((v) => v <= t.max).map((v) => () => v);
    case 'enum': return fc.constantFrom(...Object.keys(t.values)).map((v) => () => v);
    case 'words': return fc.array(fc.oneof({ weight: 8, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constantFrom(...wordEdges(64)) }), { minLength: t.max, maxLength: t.max }).map((v) => () => v);
    case 'nullable': return fc.option(fieldArb(name, t.inner, fields), { nil: null }).map((r) => (ctx, done) => (r === null ? null : r(ctx, done)));
    case 'variant': {
      const variants = Object.entries(t.variants).map(([kind, vf]) => recordArb(vf).map((r) => (ctx: GenContext) => ({ kind, ...r(ctx) })));
      return fc.oneof(...variants);
    }
  }
};

/** A byte count of a range in the op's mapping or file (not a flag word). */
const isLength = (name: string, field: Field<unknown>, fields: Fields): boolean =>
  LEN_NAMES.has(name) && field.text === undefined && (Object.values(fields).some((f) => f.inMap) || 'fd' in fields);

/**
 * A length from the range's start: a few pages, to the end, zero or negative (a loff_t length
 * below zero is a refusal rule of its own). Capped at the generator's allocation limit: a derived
 * template never makes a real kernel allocate more than a hand-written one may (GenLimits); huge
 * lengths are the hand templates' aim.
 */
const lengthArb = (inMap: boolean, signed: boolean): fc.Arbitrary<Resolver> =>
  lenArb({ huge: 0 }).map((len: LenChoice) => (ctx, done) => {
    const want = resolveLen(len, rangeStart(done), rangeSize(ctx, done, inMap));
    const cap = BigInt(ctx.limits.maxAllocPages) * P;
    return want > cap ? cap : want < 0n && !signed ? u64(want) : want;
  });

/** The field naming the mapping an in-map offset is relative to. */
const mapField = (fields: Fields): string =>
  Object.keys(fields).find((n) => { const a = fields[n]!.type; return a.abi === 'handle' && a.cls === 'map' && !a.creates; }) ?? 'map';

const fileSize = (ctx: GenContext, done: Record<string, unknown>): bigint =>
  typeof done.fd === 'number' ? (ctx.fds[done.fd]?.size ?? P) : P;
const rangeStart = (done: Record<string, unknown>): bigint => (typeof done.offset === 'bigint' ? done.offset : 0n);
const rangeSize = (ctx: GenContext, done: Record<string, unknown>, inMap: boolean): bigint =>
  inMap ? (typeof done.map === 'number' ? (ctx.maps[done.map]?.length ?? P) : P) : fileSize(ctx, done);

/** All fields of a declaration, resolved in declaration order (a map before its offset, an fd before its range). */
const recordArb = (fields: Fields): fc.Arbitrary<(ctx: GenContext) => Record<string, unknown>> => {
  const names = Object.keys(fields);
  // In-map offsets resolve first: they choose the op's `map`.
  const order = [...names.filter((n) => fields[n]!.inMap), ...names.filter((n) => !fields[n]!.inMap)];
  return fc.tuple(...order.map((n) => fieldArb(n, fields[n]!, fields))).map((rs) => (ctx) => {
    const done: Record<string, unknown> = {};
    order.forEach((n, i) => { done[n] = rs[i]!(ctx, done); });
    return Object.fromEntries(names.map((n) => [n, done[n]]));
  });
};

/** The declaration-derived template of one op kind. */
export const derivedTemplate = (kind: OpKind): fc.Arbitrary<Template> =>
  recordArb(declOf(kind).fields).map((r) => template(kind, (ctx) => ({ kind, ...r(ctx) }) as Op));

/** A derived template for every declared kind (hand-written ones are spread over these). */
export const derivedTemplates = (): { readonly [K in OpKind]: fc.Arbitrary<Template> } =>
  Object.fromEntries(OP_KINDS.map((k) => [k, derivedTemplate(k)])) as { readonly [K in OpKind]: fc.Arbitrary<Template> };
