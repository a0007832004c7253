/**
 * Edge-biased choices for offsets, lengths and sizes. A choice is plain data generated without
 * looking at the sequence; it is resolved against the object it applies to (file size, mapping
 * length) when the sequence runs, so it stays meaningful when fast-check shrinks the sequence.
 */
import fc from 'fast-check';
import { PAGE_SIZE as P } from '../../spec/vocab/index.js';

export type Base = 'zero' | 'page' | 'last' | 'eof' | 'past' | 'huge' | 'near63';
export interface OffsetChoice { readonly base: Base; readonly page: number; readonly sub: bigint }

/** Mostly page-aligned; sometimes 1, P/2 or P-1 bytes off, to reach the alignment rules. */
export const subArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(0n) },
  { weight: 1, arbitrary: fc.constantFrom(1n, 2048n, 4095n) },
);

/**
 * Page indices concentrate on the first few pages so that stores, punches, loads, policies and
 * registrations of one sequence meet on the same pages (data flow between ops is what finds
 * bugs like a punch that leaves stale data); sometimes a farther page.
 */
export const pageArb = fc.oneof({ weight: 6, arbitrary: fc.nat(3) }, { weight: 1, arbitrary: fc.nat(15) });

export const offsetArb = (weights: Partial<Record<Base, number>> = {}): fc.Arbitrary<OffsetChoice> => {
  const w: Record<Base, number> = { zero: 4, page: 6, last: 3, eof: 2, past: 2, huge: 1, near63: 1, ...weights };
  const bases = (Object.keys(w) as Base[]).filter((b) => w[b] > 0);
  return fc.record({
    base: fc.oneof(...bases.map((b) => ({ weight: w[b], arbitrary: fc.constant(b) }))),
    page: pageArb,
    sub: subArb,
  });
};

const pages = (n: number): bigint => BigInt(n) * P;

/** Resolves an offset choice against the size of the object it applies to. */
export const resolveOffset = (c: OffsetChoice, size: bigint): bigint => {
  const lastPage = size >= P ? size - P : 0n;
  const base = {
    zero: 0n,
    page: pages(c.page),
    last: lastPage > pages(c.page % 2) ? lastPage - pages(c.page % 2) : 0n,
    eof: size,
    past: size + pages(c.page + 1),
    huge: (1n << 40n) + pages(c.page),
    near63: (1n << 63n) - pages(c.page + 1),
  }[c.base];
  return base + c.sub;
};

export type LenKind = 'pages' | 'toEnd' | 'huge' | 'zero' | 'negative';
export interface LenChoice { readonly kind: LenKind; readonly pages: number; readonly sub: bigint }

export const lenArb = (weights: Partial<Record<LenKind, number>> = {}): fc.Arbitrary<LenChoice> => {
  const w: Record<LenKind, number> = { pages: 10, toEnd: 2, huge: 1, zero: 1, negative: 1, ...weights };
  const kinds = (Object.keys(w) as LenKind[]).filter((k) => w[k] > 0);
  return fc.record({
    kind: fc.oneof(...kinds.map((k) => ({ weight: w[k], arbitrary: fc.constant(k) }))),
    pages: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 2 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 16 }) }),
    sub: subArb,
  });
};

/** Resolves a length choice: `toEnd` runs from `offset` to `size` (at least one page). */
export const resolveLen = (c: LenChoice, offset: bigint, size: bigint): bigint => {
  const base = {
    pages: pages(c.pages),
    toEnd: size > offset ? size - offset : P,
    huge: 1n << 40n,
    zero: 0n,
    negative: -P,
  }[c.kind];
  return base + c.sub;
};

/** guest_memfd sizes: mostly a few pages, plus the edges of CRE-4. */
export const sizeArb: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 10, arbitrary: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 4 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 16 }) }).map(pages) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      1n << 40n, 1n << 62n, 0x7fff_ffff_ffff_f000n, 0n, 1n, P - 1n, P + 1n, 1n << 63n, (1n << 64n) - P,
    ),
  },
);

export const byteArb = fc.integer({ min: 0, max: 255 });
/**
 * Byte within a page for one-byte accesses: mostly byte 0, so a load meets the byte an earlier
 * store wrote; sometimes the other edge of the page or the middle.
 */
export const inPageArb = fc.oneof({ weight: 6, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constantFrom(1n, 2048n, 4095n) });

/**
 * Resolved values are what C would pass: a loff_t/off_t argument is a signed 64-bit value and a
 * size_t/u64 field an unsigned one. Edge choices near EOF of a ~2^64-byte request can overflow,
 * so they are wrapped exactly as the C conversion would wrap them (targets and spec then agree).
 */
export const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
export const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);

/**
 * Resolves an offset inside a mapping: like resolveOffset, but a `page` choice wraps around the
 * mapping's pages, so most requests land inside it (and, e.g., most mbind calls can succeed).
 */
export const resolveInMap = (c: OffsetChoice, length: bigint): bigint => {
  const pagesInMap = length / P > 0n ? length / P : 1n;
  return c.base === 'page' ? (BigInt(c.page) % pagesInMap) * P + c.sub : resolveOffset(c, length);
};

/**
 * Whether an op aims at its file's hot page (GenContext.hotOf: the page the first op on that file
 * addressed) instead of its own choice; a third of the time. Shrinks to its own choice.
 */
export const hotArb = fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
