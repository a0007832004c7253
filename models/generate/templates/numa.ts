/**
 * move_pages's template (POL-20): pages from a page-aligned start mostly inside one of the
 * sequence's mappings (so mapped, unmapped and past-the-end pages all occur), now and then from
 * below it or an unaligned start; query or move, the node mostly 0 (the one node with memory) with
 * the edges that must be refused (1, -1, INT_MAX), the flags mostly MOVE with the edges (MOVE_ALL,
 * STRICT, an unknown bit, bit 31).
 */
import fc from 'fast-check';
import { MOVE_PAGES_MAX } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { template, type TemplateArbs } from '../template.js';

const P = 4096n;
const startArb = fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: 7 }).map((page) => ({ page, raw: 0n })) },
  { weight: 1, arbitrary: fc.constantFrom(-2n * P, 1n, -(1n << 40n)).map((raw) => ({ page: 0, raw })) },
);
const nodeArb = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(1, -1, 0x7fffffff) });
const flagsArb = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(0, 2) }, { weight: 1, arbitrary: fc.constantFrom(4, 1, 8, -0x80000000) });

export const numaTemplates = {
  movePages: fc.record({ m: fc.nat(), at: startArb, pages: fc.nat({ max: MOVE_PAGES_MAX }), move: fc.boolean(), node: nodeArb, flags: flagsArb })
    .map(({ m, at, pages, move, node, flags }) => template('movePages', (c) => {
      const map = pick(m, c.maps.length);
      const npages = Number((c.maps[map]?.length ?? P) / P) || 1;
      const offset = at.raw !== 0n ? at.raw : BigInt(at.page % (npages + 1)) * P;
      return { kind: 'movePages', map, offset, pages, move, node, flags };
    })),
} satisfies TemplateArbs;
