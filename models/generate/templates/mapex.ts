/**
 * The mapping family's templates (issue 15; spec/vocab/ops-map.ts): mmapEx with its whole flags
 * word, placed anywhere or over a mapping of the sequence (MAP-17, MAP-18).
 */
import fc from 'fast-check';
import { MAP_FLAG as F, PROT } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { lenArb, offsetArb, resolveLen, resolveOffset, u64 } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { word64Arb } from '../flags.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const RW = BigInt(PROT.READ | PROT.WRITE);
/** Every bit do_mmap knows on x86-64 (the first unknown one above is bit 27's neighbours: 0x200, bit 21, bit 31). */
const KNOWN = 0x7fffffffn & ~0x600n;
/**
 * The mapping type (mostly the three valid ones), then 0–2 flags of the word. MAP_32BIT is left out
 * of the random mix: the kernel ignores the native target's address hint for it, so no free gap
 * follows such a mapping and a later longer MAP_FIXED over it cannot be issued safely
 * (adapters/native/_internals/ops-mapex.ts; test/unit/native/mmap-ex.test.ts covers the flag).
 */
const typeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(F.SHARED) },
  { weight: 4, arbitrary: fc.constant(F.SHARED_VALIDATE) },
  { weight: 2, arbitrary: fc.constant(F.PRIVATE) },
  { weight: 1, arbitrary: fc.constantFrom(0n, 4n, F.DROPPABLE, 0xfn) },
);
const flagArb = fc.constantFrom(
  F.POPULATE, F.POPULATE, F.LOCKED, F.FIXED, F.FIXED, F.FIXED_NOREPLACE, F.FIXED_NOREPLACE, F.SYNC, F.NORESERVE, F.NONBLOCK,
  F.STACK, F.HUGETLB, F.GROWSDOWN, F.DENYWRITE, F.UNINITIALIZED, F.ABOVE4G, F.HUGE_2MB, 0n,
);
const flagsArb = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(typeArb, flagArb, flagArb).map(([t, a, b]) => t | a | b) },
  { weight: 2, arbitrary: fc.tuple(typeArb, word64Arb([0n], { known: KNOWN, weight: 10 })).map(([t, w]) => t | (w & ~F['32BIT'])) },
);
const protArb = fc.oneof({ weight: 8, arbitrary: fc.constant(RW) }, { weight: 1, arbitrary: fc.constantFrom(BigInt(PROT.READ), 0n, RW | 8n, RW | (1n << 32n)) });

export const mapExTemplates = {
  mmapEx: fc.record({
    n: fc.nat(), over: fc.oneof({ weight: 2, arbitrary: fc.nat() }, { weight: 1, arbitrary: fc.constant(undefined) }), sameFd: fc.boolean(),
    off: offsetArb({ huge: 1, near63: 0 }), len: lenArb({ negative: 0, huge: 1 }),
    // Over a mapping: as long as it, shorter, or longer by a few pages (into the free gap after it).
    rel: fc.constantFrom(0n, 0n, -P, P, 3n * P), prot: protArb, flags: flagsArb,
  }).map(({ n, over, sameFd, off, len, rel, prot, flags }) => template('mmapEx', (c) => {
    const victim = over === undefined || c.maps.length === 0 ? undefined : pick(over, c.maps.length);
    // Over a mapping, mostly its own file (one that did map once); else any fd of the sequence.
    const fd = victim !== undefined && sameFd ? (c.maps[victim]?.fd ?? 0) : pick(n, c.fds.length);
    const size = c.fds[fd]?.size ?? 0n;
    const offset = resolveOffset(off, size);
    // A map cut by munmapPart has a piece close after it: never longer than the map (context.ts cutMaps).
    let length = victim === undefined ? resolveLen(len, offset, size) : (c.maps[victim]?.length ?? P) + (c.cutMaps.has(victim) && rel > 0n ? 0n : rel);
    if (length <= 0n) length = P;
    // Safety: bound the address space one mapping takes, and what MAP_POPULATE / MAP_LOCKED fault in.
    const cap = (flags & (F.POPULATE | F.LOCKED)) !== 0n ? BigInt(c.limits.maxAllocPages) * P : c.limits.maxMapBytes;
    if (length > cap) length = cap;
    const place = victim === undefined ? { kind: 'any' as const } : { kind: 'over' as const, map: victim };
    return { kind: 'mmapEx', fd, id: c.maps.length, offset: u64(offset), length: u64(length), prot, flags, place };
  })),
} satisfies TemplateArbs;
