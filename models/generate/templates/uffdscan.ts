/**
 * UFFDIO_POISON's template (UFD-22): mostly a range of a mapping some uffdRegister registered
 * (GenContext.uffdModes), so the marker really lands and later loads, stores, GUP, populates,
 * pagemap reads and zaps meet it; mode 0 most of the time, DONTWAKE now and then, and the edges
 * the kernel checks first (unknown bits, bit 63).
 */
import fc from 'fast-check';
import { UFFDIO_POISON_MODE } from '../../../spec/vocab/index.js';
import { pick, type GenContext } from '../context.js';
import { hotArb, lenArb, offsetArb } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { word64Arb } from '../flags.js';
import { mapRange } from './maps.js';

const modeArb = word64Arb([0n, 0n, 0n, UFFDIO_POISON_MODE.DONTWAKE], { known: UFFDIO_POISON_MODE.DONTWAKE, weight: 1 });

/** A map handle: a registered one when `reg` and there is one, else any. */
const mapPick = (c: GenContext, n: number, reg: boolean): number => {
  const regs = [...c.uffdModes.keys()].filter((m) => m < c.maps.length);
  return reg && regs.length > 0 ? regs[n % regs.length]! : pick(n, c.maps.length);
};

export const uffdscanTemplates = {
  uffdPoison: fc.record({
    u: fc.nat(), n: fc.nat(), reg: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    off: offsetArb({ huge: 0, near63: 0, eof: 1, past: 1 }), len: lenArb({ huge: 0, negative: 0, zero: 1, toEnd: 1 }), hot: hotArb, mode: modeArb,
  }).map(({ u, n, reg, off, len, hot, mode }) => template('uffdPoison', (c) => ({
    kind: 'uffdPoison', uffd: pick(u, c.uffds), ...mapRange(c, mapPick(c, n, reg), off, len, hot), mode,
  }))),
} satisfies TemplateArbs;
