/**
 * UFFDIO_MOVE's template (UFD-23): source and destination mostly page-aligned starts inside two of
 * the sequence's mappings (often the same one), so the VMA checks are reached; now and then the
 * argument edges the kernel checks first (an unaligned start or length, length 0, unknown mode
 * bits, bit 63) and a start 1 TiB below a mapping (no VMA there: ENOENT).
 */
import fc from 'fast-check';
import { UFFDIO_MOVE_MODE } from '../../../spec/vocab/index.js';
import { pick, type GenContext } from '../context.js';
import { template, type TemplateArbs } from '../template.js';
import { word64Arb } from '../flags.js';

const P = 4096n;
const FAR = -(1n << 40n);
type Where = { readonly page: number } | { readonly raw: bigint };
const whereArb: fc.Arbitrary<Where> = fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: 7 }).map((page) => ({ page })) },
  { weight: 1, arbitrary: fc.constantFrom(1n, P + 1n, FAR).map((raw) => ({ raw })) },
);
const lenArb = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(P, 2n * P) }, { weight: 1, arbitrary: fc.constantFrom(0n, 1n, P + 1n, 1n << 40n) });
const modeArb = word64Arb([0n, UFFDIO_MOVE_MODE.DONTWAKE, UFFDIO_MOVE_MODE.ALLOW_SRC_HOLES, UFFDIO_MOVE_MODE.DONTWAKE | UFFDIO_MOVE_MODE.ALLOW_SRC_HOLES], { known: 3n });

const at = (c: GenContext, map: number, w: Where): bigint => {
  if ('raw' in w) return w.raw;
  const pages = Number((c.maps[map]?.length ?? P) / P) || 1;
  return BigInt(w.page % pages) * P;
};

export const uffdMoveTemplates = {
  uffdMove: fc.record({ u: fc.nat(), s: fc.nat(), d: fc.nat(), same: fc.boolean(), from: whereArb, to: whereArb, length: lenArb, mode: modeArb })
    .map(({ u, s, d, same, from, to, length, mode }) => template('uffdMove', (c) => {
      const map = pick(d, c.maps.length);
      const src = same ? map : pick(s, c.maps.length);
      return { kind: 'uffdMove', uffd: pick(u, c.uffds), src, srcOffset: at(c, src, from), map, offset: at(c, map, to), length, mode };
    })),
} satisfies TemplateArbs;
