/**
 * mremap (issue 15; spec/vocab/ops-mremap.ts, MAP-10, MAP-21): a mapping of the sequence, old_size
 * its whole length (mostly) or 0 (the duplicate), a new length the same, a page shorter, a few
 * pages or twice longer, or an edge (0, past TASK_SIZE, near 2^64), the flags mostly a combination
 * of MAYMOVE, FIXED and DONTUNMAP, now and then with an unknown bit (3, 31, 32, 63), and the new
 * address NULL or another mapping's base (or its own: the overlap and the fixed-duplicate cases).
 * Lengths stay within the generator's mapping cap, so a grown mapping never asks for more address
 * space than an mmap could.
 */
import fc from 'fast-check';
import { MREMAP } from '../../../spec/vocab/ops-mremap.js';
import { pick } from '../context.js';
import { template, type TemplateArbs } from '../template.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const M = MREMAP.MAYMOVE;
const F = MREMAP.FIXED;
const D = MREMAP.DONTUNMAP;
const flagsArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(0n, M, M, M | F, M | F, M | D, M | D, M | F | D, F, D) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(0n, M, M | F), fc.constantFrom(8n, 1n << 31n, 1n << 32n, 1n << 63n)).map(([a, b]) => a | b) },
);
const lenArb = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom('same', 'same', 'shorter', 'longer', 'double' as const) },
  { weight: 2, arbitrary: fc.constantFrom(0n, 1n, (1n << 47n) + P, (1n << 64n) - 1n) },
);

export const mremapTemplates = {
  mremap: fc.record({ n: fc.nat(), t: fc.option(fc.nat(), { nil: undefined }), zero: fc.nat(7), len: lenArb, flags: flagsArb })
    .map(({ n, t, zero, len, flags }) => template('mremap', (c) => {
      const map = pick(n, c.maps.length);
      const size = c.maps[map]?.length ?? P;
      const pages = (size + P - 1n) / P;
      const whole = pages * P;
      const newLength = len === 'same' ? whole : len === 'shorter' ? (pages > 1n ? whole - P : whole) : len === 'longer' ? whole + 3n * P
        : len === 'double' ? (2n * whole > c.limits.maxMapBytes ? whole : 2n * whole) : len;
      const to = t === undefined || c.maps.length === 0 ? { kind: 'any' as const } : { kind: 'over' as const, map: t % 3 === 0 ? map : pick(t, c.maps.length) };
      return { kind: 'mremap', map, id: c.maps.length, oldSize: zero === 0 ? 'zero' as const : 'whole' as const, newLength, flags, to };
    })),
} satisfies TemplateArbs;
