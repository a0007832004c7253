/**
 * mprotect of a range (issue 15; spec/vocab/ops-mprot.ts, MAP-19): a range of a mapping of the
 * sequence — its head, a page in the middle (so the VMA splits on both sides), its tail, past its
 * end, or just below it — of a page, two, up to the end or a little past it (the hole's ENOMEM
 * after the pages were changed); now and then an unaligned start, a zero length or one that wraps.
 * The prot word is mostly a protection that matters for the accesses that follow (NONE, READ,
 * READ|WRITE, READ|EXEC: EACCES on gmem), sometimes a 64-bit word with its edge bits or GROWSDOWN/
 * GROWSUP (EINVAL on every file VMA). Lengths stay far below the dead zone's span, so the native
 * target can always place the part past the mapping (adapters/native/_internals/ops-mprot.ts).
 */
import fc from 'fast-check';
import { pick } from '../context.js';
import { template, type TemplateArbs } from '../template.js';
import { word64Arb } from '../flags.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const R = 1n;
const RW = 3n;
const whereArb = fc.constantFrom('head', 'middle', 'middle', 'middle', 'tail', 'past', 'below' as const);
const lenArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(P, P, 2n * P, 'toEnd' as const, 'pastEnd' as const) },
  { weight: 2, arbitrary: fc.constantFrom(1n, P + 1n, 0n, (1n << 64n) - 1n, (1n << 64n) - P) },
);
const skewArb = fc.oneof({ weight: 12, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constantFrom(1n, 2048n) });
const protArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(0n, R, R, RW, R | 4n) },
  { weight: 1, arbitrary: word64Arb([R, RW], { known: 0xfn, weight: 10 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0x01000000n, 0x02000000n, 0x03000000n), fc.constantFrom(R, RW)).map(([g, p]) => g | p) },
);

export const mprotTemplates = {
  mprotectRange: fc.record({ n: fc.nat(), where: whereArb, page: fc.nat(15), len: lenArb, skew: skewArb, prot: protArb })
    .map(({ n, where, page, len, skew, prot }) => template('mprotectRange', (c) => {
      const map = pick(n, c.maps.length);
      const size = c.maps[map]?.length ?? P;
      const pages = (size + P - 1n) / P;
      const mid = pages > 2n ? 1n + BigInt(page) % (pages - 2n) : pages - 1n;
      const at = { head: 0n, middle: mid, tail: pages - 1n, past: pages + BigInt(page % 2), below: -1n }[where] * P + skew;
      const length = len === 'toEnd' ? (size - at > 0n ? size - at : P) : len === 'pastEnd' ? size - at + 2n * P : len;
      return { kind: 'mprotectRange', map, offset: at, length: BigInt.asUintN(64, length), prot };
    })),
} satisfies TemplateArbs;
