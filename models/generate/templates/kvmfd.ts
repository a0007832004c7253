/**
 * Templates of round 4's fd and memslot calls (spec/vocab/ops-kvmfd.ts). fdWatch is a fallocate
 * with a watch around it, so it is drawn exactly as ./files.ts's fallocate is (hot page, EOF, the
 * allocation cap, every mode) and rewrapped. dirtyLog aims at the slot the sequence made last (a
 * gmem slot: ENOENT; a plain one logging dirty pages: the range checks), at slot ids past the
 * limit and in address space 1, with first_page/num_pages at the 64-page word edges and the slot end.
 */
import fc from 'fast-check';
import { pick } from '../context.js';
import { template, type Template, type TemplateArbs } from '../template.js';
import { fileTemplates } from './files.js';

const watched = (t: fc.Arbitrary<Template>): fc.Arbitrary<Template> =>
  t.map((inner) => template('fdWatch', (c) => {
    const op = inner.resolve(c);
    if (op.kind !== 'fallocate') throw new Error(`fdWatch template: wraps a fallocate, got ${op.kind}`);
    return { kind: 'fdWatch', fd: op.fd, mode: op.mode, offset: op.offset, len: op.len };
  }));

/** A page count relative to the slot: a fixed one, or the slot's size (minus or plus one). */
const pagesArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(0, 1, 63, 64, 128) },
  { weight: 3, arbitrary: fc.constantFrom('end', 'endMinus1', 'endPlus1' as const) },
  { weight: 1, arbitrary: fc.constant(2 ** 32 - 1) },
);
const resolvePages = (v: number | 'end' | 'endMinus1' | 'endPlus1', npages: number): number =>
  typeof v === 'number' ? v : Math.max(0, npages + (v === 'end' ? 0 : v === 'endMinus1' ? -1 : 1));

const dirtyLogArb = fc.record({
  n: fc.nat(), call: fc.constantFrom('get', 'clear' as const),
  slot: fc.oneof({ weight: 8, arbitrary: fc.constant('last' as const) }, { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom('nr', 'as1', 'all' as const) }),
  first: pagesArb, num: pagesArb,
}).map((g) => template('dirtyLog', (c) => {
  const last = c.lastRegion;
  const slot = g.slot === 'last' ? (last?.slot ?? 0) : g.slot === 'nr' ? c.nrMemslots : g.slot === 'as1' ? 1 << 16 : g.slot === 'all' ? 2 ** 32 - 1 : g.slot;
  const npages = last !== undefined ? Number(last.size / 4096n) : 0;
  const first = resolvePages(g.first, npages);
  return { kind: 'dirtyLog', vm: g.slot === 'last' && last ? last.vm : pick(g.n, c.vms), call: g.call, slot, firstPage: BigInt(first), numPages: Math.min(resolvePages(g.num, npages - first), 2 ** 32 - 1) };
}));

export const kvmfdTemplates = {
  fdWatch: watched(fileTemplates.fallocate),
  dirtyLog: dirtyLogArb,
} satisfies TemplateArbs;
