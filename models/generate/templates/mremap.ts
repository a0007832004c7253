/**
 * mremap (issue 15; spec/vocab/ops-mremap.ts, MAP-10, MAP-21): a mapping of the sequence, old_size
 * its whole length (mostly) or 0 (the duplicate), a new length the same, a page shorter, a few
 * pages or twice longer, or an edge (0, past TASK_SIZE, near 2^64), the flags mostly a combination
 * of MAYMOVE, FIXED and DONTUNMAP, now and then with an unknown bit (3, 31, 32, 63), and the new
 * address NULL or another mapping's base (or its own: the overlap and the fixed-duplicate cases).
 * A growth stays within one allocation's limit (what a VM_LOCKED mapping would populate).
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
  mremap: fc.record({ n: fc.nat(), memfdFirst: fc.boolean(), t: fc.option(fc.nat(), { nil: undefined }), zero: fc.nat(7), len: lenArb, flags: flagsArb })
    .map(({ n, memfdFirst, t, zero, len, flags }) => template('mremap', (c) => {
      // Half the time a map of a memfd when there is one: on a kernel without guest_memfd the gmem
      // maps are all dead (a dead map is not issued), so the kernel would rarely see a live one; the
      // newest ones are the likeliest to be live.
      const memfdMaps = c.maps.flatMap((m, i) => (c.fds[m.fd]?.gmem === false ? [i] : []));
      const map = memfdFirst && memfdMaps.length > 0 ? memfdMaps[memfdMaps.length - 1 - (n % Math.min(2, memfdMaps.length))]! : pick(n, c.maps.length);
      const size = c.maps[map]?.length ?? P;
      const pages = (size + P - 1n) / P;
      const whole = pages * P;
      const want = len === 'same' ? whole : len === 'shorter' ? (pages > 1n ? whole - P : whole) : len === 'longer' ? whole + 3n * P
        : len === 'double' ? 2n * whole : len;
      // Safety: a grown (or duplicated) VM_LOCKED mapping populates what it adds, which the native
      // target charges (adapters/limits.ts): keep that within one allocation's limit.
      const oldSize = zero === 0 ? 'zero' as const : 'whole' as const;
      const cap = (oldSize === 'zero' ? 0n : whole) + BigInt(c.limits.maxAllocPages) * P;
      const newLength = want > cap && want <= 1n << 47n ? cap : want;
      const to = t === undefined || c.maps.length === 0 ? { kind: 'any' as const } : { kind: 'over' as const, map: t % 3 === 0 ? map : pick(t, c.maps.length) };
      // Safety: a FIXED move onto another map stays within that map's own pages; past them may lie a
      // mapping the native target does not own (a moved map sits where the kernel chose), and such a
      // target is not run (adapters/native/_internals/ops-mremap.ts).
      const tLen = to.kind === 'over' ? ((c.maps[to.map]?.length ?? P) + P - 1n) / P * P : undefined;
      const fixedLen = tLen !== undefined && (flags & MREMAP.FIXED) !== 0n && newLength > tLen && newLength <= 1n << 47n ? tLen : newLength;
      return { kind: 'mremap', map, id: c.maps.length, oldSize, newLength: fixedLen, flags, to };
    })),
} satisfies TemplateArbs;
