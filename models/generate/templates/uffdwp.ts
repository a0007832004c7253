/**
 * UFFDIO_WRITEPROTECT's template (UFD-20): mostly a range of a mapping some uffdRegister asked WP
 * for (GenContext.wpMaps), so the protection really lands and later stores, GUP writes and pagemap
 * reads meet it; mode WP most of the time, clearing (0) now and then, and the edges the kernel
 * checks first (DONTWAKE, WP|DONTWAKE, unknown bits, bit 63).
 */
import fc from 'fast-check';
import { UFFDIO_WRITEPROTECT_MODE } from '../../../spec/vocab/index.js';
import { pick, type GenContext } from '../context.js';
import { hotArb, lenArb, offsetArb } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { word64Arb } from '../flags.js';
import { mapRange } from './maps.js';

const WP = UFFDIO_WRITEPROTECT_MODE.WP;
const modeArb = word64Arb([WP, WP, WP, 0n, UFFDIO_WRITEPROTECT_MODE.DONTWAKE, WP | UFFDIO_WRITEPROTECT_MODE.DONTWAKE], { known: 3n, weight: 1 });

/** A map handle: one registered for WP when `wp` and there is one, else any. */
const mapPick = (c: GenContext, n: number, wp: boolean): number => {
  const wps = [...c.wpMaps].filter((m) => m < c.maps.length);
  return wp && wps.length > 0 ? wps[n % wps.length]! : pick(n, c.maps.length);
};

export const uffdwpTemplates = {
  uffdWriteProtect: fc.record({
    u: fc.nat(), n: fc.nat(), wp: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    off: offsetArb({ huge: 0, near63: 0, eof: 0, past: 1 }), len: lenArb({ huge: 0, negative: 0, zero: 1, toEnd: 2 }), hot: hotArb, mode: modeArb,
  }).map(({ u, n, wp, off, len, hot, mode }) => template('uffdWriteProtect', (c) => ({
    kind: 'uffdWriteProtect', uffd: pick(u, c.uffds), ...mapRange(c, mapPick(c, n, wp), off, len, hot), mode,
  }))),
} satisfies TemplateArbs;
