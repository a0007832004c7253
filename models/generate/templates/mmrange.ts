/**
 * Partial munmap (issue 15; spec/vocab/ops-mmrange.ts, MAP-20): a range of a mapping of the
 * sequence — its head, a page in the middle (so a piece is left on both sides), its tail, past its
 * end, or just below it — of a page, two, up to the end or a little past it; now and then an
 * unaligned start or length, a zero length, or a length that rounds to 0 or wraps (the EINVAL
 * checks). The new handle names the pages after the range (generate/context.ts records them).
 * Lengths stay far below the dead zone's span, so the native target can always place the part
 * past the mapping (adapters/native/_internals/ops-mmrange.ts).
 */
import fc from 'fast-check';
import { pick } from '../context.js';
import { template, type TemplateArbs } from '../template.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const whereArb = fc.constantFrom('head', 'middle', 'middle', 'middle', 'tail', 'past', 'below' as const);
const lenArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(P, P, 2n * P, 'toEnd' as const, 'pastEnd' as const) },
  { weight: 2, arbitrary: fc.constantFrom(1n, P + 1n, 0n, (1n << 64n) - 1n, (1n << 64n) - P) },
);
const skewArb = fc.oneof({ weight: 12, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constantFrom(1n, 2048n) });

export const mmrangeTemplates = {
  munmapPart: fc.record({ n: fc.nat(), where: whereArb, page: fc.nat(15), len: lenArb, skew: skewArb })
    .map(({ n, where, page, len, skew }) => template('munmapPart', (c) => {
      const map = pick(n, c.maps.length);
      const size = c.maps[map]?.length ?? P;
      const pages = (size + P - 1n) / P;
      const mid = pages > 2n ? 1n + BigInt(page) % (pages - 2n) : pages - 1n;
      const at = { head: 0n, middle: mid, tail: pages - 1n, past: pages + BigInt(page % 2), below: -1n }[where] * P + skew;
      const length = len === 'toEnd' ? (size - at > 0n ? size - at : P) : len === 'pastEnd' ? size - at + 2n * P : len;
      return { kind: 'munmapPart', map, offset: at, length: BigInt.asUintN(64, length), id: c.maps.length };
    })),
} satisfies TemplateArbs;
