/**
 * Templates of round 5's home-node and memslot-pad ops. set_mempolicy_home_node (POL-23): a range
 * of one of the sequence's mappings from a page-aligned start, mostly inside it (the mix's mbind
 * leaves BIND / PREFERRED / … policies there to meet), now and then an unaligned or negative start,
 * a zero, huge or all-ones length; the node mostly 0 (the one online node) with the edges that
 * must be refused (1, 2^32, all ones), flags mostly 0 with the edge bits. The padded memslot
 * (SLOT-20): a memslot request as the memslot templates draw it, always v2, with pad words
 * carrying the edge values (bit 31, 32, 63, all ones) — now and then all zero, as a control.
 */
import fc from 'fast-check';
import { MEMSLOT_PAD2_WORDS } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { word32Arb, word64Arb } from '../flags.js';
import { template, type TemplateArbs } from '../template.js';
import { slotTemplates } from './slots.js';

const P = 4096n;
const startArb = fc.oneof(
  { weight: 8, arbitrary: fc.nat({ max: 7 }).map((page) => ({ page, raw: 0n })) },
  { weight: 1, arbitrary: fc.constantFrom(1n, -P, 2048n).map((raw) => ({ page: 0, raw })) },
);
const lengthArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 8 }).map((pages) => ({ pages, raw: 0n })) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 1n, (1n << 64n) - 1n, 1n << 63n, 1n << 40n).map((raw) => ({ pages: 0, raw })) },
);
const nodeArb = fc.oneof({ weight: 8, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constantFrom(1n, 1n << 32n, (1n << 64n) - 1n) });
const padWordArb = fc.oneof({ weight: 2, arbitrary: fc.constant(0n) }, { weight: 3, arbitrary: word64Arb([1n], { known: 0n, weight: 6 }) });

export const homeslotTemplates = {
  setMempolicyHomeNode: fc.record({ m: fc.nat(), at: startArb, len: lengthArb, node: nodeArb, flags: word64Arb([0n], { known: 0n, weight: 1 }) })
    .map(({ m, at, len, node, flags }) => template('setMempolicyHomeNode', (c) => {
      const map = pick(m, c.maps.length);
      const npages = Number((c.maps[map]?.length ?? P) / P) || 1;
      const offset = at.raw !== 0n ? at.raw : BigInt(at.page % npages) * P;
      const length = len.raw !== 0n || len.pages === 0 ? len.raw : BigInt(len.pages) * P;
      return { kind: 'setMempolicyHomeNode', map, offset, length, node, flags };
    })),
  setMemoryRegionPad: fc.record({
    region: slotTemplates.setMemoryRegion,
    pad1: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 3, arbitrary: word32Arb([1], { known: 0n, weight: 6 }) }),
    pad2: fc.array(padWordArb, { minLength: 0, maxLength: MEMSLOT_PAD2_WORDS }),
  }).map(({ region, pad1, pad2 }) => template('setMemoryRegionPad', (c) => {
    const r = region.resolve(c);
    if (r.kind !== 'setMemoryRegion') throw new Error(`setMemoryRegionPad: the memslot template resolved to ${r.kind}`);
    const { kind: _kind, v1: _v1, ...fields } = r;
    return { kind: 'setMemoryRegionPad', ...fields, pad1, pad2 };
  })),
} satisfies TemplateArbs;
