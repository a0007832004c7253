/** Templates for mappings and host accesses (rules MAP-*, FIO-9, LIFE-*). */
import fc from 'fast-check';
import { MLOCK_FLAG, MS, PROT } from '../../../spec/vocab/index.js';
import type { GenContext, MapInfo } from '../context.js';
import { hotInMap, pick } from '../context.js';
import { byteArb, hotArb, inPageArb, lenArb, offsetArb, pageArb, resolveInMap, resolveLen, resolveOffset, u64, type OffsetChoice } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { intWordArb, word32Arb, word64Arb } from '../flags.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const RW = BigInt(PROT.READ | PROT.WRITE);
const R = BigInt(PROT.READ);
const X = BigInt(PROT.EXEC);
/** PROT_READ|WRITE|EXEC and PROT_SEM are the bits the kernel knows (MAP-19); GROWSDOWN/GROWSUP only mprotect. */
const PROT_KNOWN = 0xfn;
const PROT_GROWS = [0x01000000n, 0x02000000n, 0x03000000n];
const protArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant(RW) },
  { weight: 1, arbitrary: fc.constantFrom(R, R | X, RW | X, 0n) },
  { weight: 1, arbitrary: word64Arb([RW, R], { known: PROT_KNOWN, weight: 10 }) },
);
const resolveArb = fc.constantFrom('COPY', 'CONTINUE', 'ZEROPAGE' as const);
/**
 * The advices that act on data most often, those an mlock or a file VMA refuses, every other value
 * the kernel knows, a few it does not, and guard markers (MAP-30: the mmap mix's loads, stores and
 * kernel accesses then meet them; drawn last so the other advices keep their draws).
 */
const adviceArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('DONTNEED', 'DONTNEED', 'REMOVE', 'REMOVE', 'COLLAPSE', 'HUGEPAGE', 'POPULATE_READ', 'POPULATE_WRITE' as const) },
  { weight: 2, arbitrary: fc.constantFrom('COLD', 'PAGEOUT', 'FREE', 'WIPEONFORK', 'DONTNEED_LOCKED' as const) },
  { weight: 2, arbitrary: fc.constantFrom('NORMAL', 'RANDOM', 'SEQUENTIAL', 'WILLNEED', 'DONTFORK', 'DOFORK', 'MERGEABLE', 'UNMERGEABLE', 'NOHUGEPAGE',
    'DONTDUMP', 'DODUMP', 'KEEPONFORK' as const) },
  { weight: 1, arbitrary: fc.constantFrom('UNKNOWN_5', 'UNKNOWN_26', 'UNKNOWN_104', 'UNKNOWN_BIT31' as const) },
  { weight: 2, arbitrary: fc.constantFrom('GUARD_INSTALL', 'GUARD_INSTALL', 'GUARD_REMOVE' as const) },
);
const kernelCallArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('process_vm_readv', 'process_vm_writev' as const) },
  { weight: 3, arbitrary: fc.constantFrom('proc_mem_read', 'proc_mem_write', 'vmsplice', 'pipe_read_into', 'pipe_write_from', 'pvm_local_read', 'pvm_local_write' as const) },
);
const futexOpArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('WAIT', 'WAKE', 'WAIT_PRIVATE', 'WAKE_PRIVATE' as const) },
  { weight: 1, arbitrary: fc.constantFrom('WAKE_CLOCK_REALTIME', 'CMD_14', 'WAKE_BIT31' as const) },
);

/**
 * A byte inside (or just outside) a mapping: a page chosen relative to the mapping's length and
 * to where the file's EOF falls inside it, plus a byte within that page.
 */
const accessArb = fc.record({
  n: fc.nat(),
  where: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('first', 'page' as const) },
    { weight: 1, arbitrary: fc.constantFrom('last', 'eof', 'beyondMap' as const) },
  ),
  page: pageArb,
  byte: inPageArb,
  hot: hotArb,
});
type Access = typeof accessArb extends fc.Arbitrary<infer T> ? T : never;

export const resolveAccess = (a: Access, ctx: GenContext): { map: number; offset: bigint } => {
  const h = a.hot ? hotInMap(ctx, a.n) : undefined;
  if (h) return { map: h.map, offset: h.offset + a.byte };
  const map = pick(a.n, ctx.maps.length);
  const m: MapInfo = ctx.maps[map] ?? { fd: 0, length: P, fileOffset: 0n, fdSize: P };
  const lastPage = m.length >= P ? m.length - P : 0n;
  const eof = m.fdSize - m.fileOffset;
  const page = {
    first: 0n,
    page: BigInt(a.page) * P < m.length ? BigInt(a.page) * P : 0n,
    last: lastPage,
    eof: eof >= 0n && eof < m.length ? eof : lastPage,
    beyondMap: m.length + BigInt(a.page % 2) * P,
  }[a.where];
  return { map, offset: page + a.byte };
};

type LenChoice = ReturnType<typeof lenArb> extends fc.Arbitrary<infer T> ? T : never;

/** A place in a mapping: a hot page when asked and mapped, else the n-th mapping at `off`. */
export const mapAt = (ctx: GenContext, n: number, off: OffsetChoice, hot: boolean): { map: number; offset: bigint } => {
  const h = hot ? hotInMap(ctx, n) : undefined;
  if (h) return h;
  const map = pick(n, ctx.maps.length);
  return { map, offset: resolveInMap(off, ctx.maps[map]?.length ?? P) };
};

/** A range in a mapping, starting at mapAt's place. */
export const mapRange = (ctx: GenContext, n: number, off: OffsetChoice, len: LenChoice, hot: boolean) => {
  const { map, offset } = mapAt(ctx, n, off, hot);
  return { map, offset, length: resolveLen(len, offset, ctx.maps[map]?.length ?? P) };
};

const mapOffsetArb = offsetArb({ huge: 0, near63: 0, past: 1, eof: 0 });
const mapLenArb = lenArb({ huge: 0, negative: 0, zero: 1, toEnd: 3 });

export const mapTemplates = {
  mmap: fc.record({ n: fc.nat(), off: offsetArb({ huge: 1, near63: 0 }), len: lenArb({ negative: 0, huge: 1 }), prot: protArb, shared: fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), times: fc.constantFrom(1n, 1n, 1n, 4n) })
    .map(({ n, off, len, prot, shared, times }) => template('mmap', (c) => {
      const fd = pick(n, c.fds.length);
      const size = c.fds[fd]?.size ?? 0n;
      const offset = resolveOffset(off, size);
      let length = resolveLen(len, offset, size) * times;
      // Safety: bound the address space one mapping takes on a real machine.
      if (length > c.limits.maxMapBytes) length = c.limits.maxMapBytes;
      // x86 sys_mmap takes the offset as unsigned long (arch/x86/kernel/sys_x86_64.c).
      return { kind: 'mmap', fd, id: c.maps.length, offset: u64(offset), length: u64(length), prot, shared };
    })),
  munmap: fc.nat().map((n) => template('munmap', (c) => ({ kind: 'munmap', map: pick(n, c.maps.length) }))),
  mprotect: fc.record({ n: fc.nat(), prot: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(R, RW, R | X, 0n) },
    { weight: 1, arbitrary: word64Arb([R, RW], { known: PROT_KNOWN, weight: 10 }) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PROT_GROWS), fc.constantFrom(R, RW)).map(([g, p]) => g | p) },
  ) })
    .map(({ n, prot }) => template('mprotect', (c) => ({ kind: 'mprotect', map: pick(n, c.maps.length), prot }))),
  load: fc.record({ a: accessArb, how: resolveArb, fill: byteArb })
    .map(({ a, how, fill }) => template('load', (c) => ({ kind: 'load', ...resolveAccess(a, c), onUserfault: how, fill }))),
  store: fc.record({ a: accessArb, value: byteArb, how: resolveArb, fill: byteArb })
    .map(({ a, value, how, fill }) => template('store', (c) => ({ kind: 'store', ...resolveAccess(a, c), value, onUserfault: how, fill }))),
  madvise: fc.record({ n: fc.nat(), off: mapOffsetArb, len: mapLenArb, hot: hotArb, advice: adviceArb })
    .map(({ n, off, len, hot, advice }) => template('madvise', (c) => {
      const r = mapRange(c, n, off, len, hot);
      const cap = BigInt(c.limits.maxAllocPages) * P;
      const populates = advice === 'POPULATE_READ' || advice === 'POPULATE_WRITE';
      // Never a guard install on a mapping a WP registration was asked for: over a uffd-wp marker
      // the kernel's install loops for ever (MAP-30; the native target refuses it unrun).
      const adv = advice === 'GUARD_INSTALL' && c.wpMaps.has(r.map) ? 'GUARD_REMOVE' : advice;
      return { kind: 'madvise', ...r, length: populates && r.length > cap ? cap : r.length, advice: adv };
    })),
  // mlock/mlock2/munlock over a range of a mapping (capped like a populate: mlock faults it in),
  // now and then a length that rounds to nothing (2^64 − 1) or whose end wraps (2^64 − 4096).
  mlock: fc.record({ n: fc.nat(), off: mapOffsetArb, len: mapLenArb, hot: hotArb, call: fc.constantFrom('MLOCK', 'MLOCK', 'MLOCK2', 'MLOCK2', 'MUNLOCK' as const),
    flags: fc.oneof({ weight: 3, arbitrary: fc.constant(MLOCK_FLAG.ONFAULT) }, { weight: 2, arbitrary: word32Arb([0, MLOCK_FLAG.ONFAULT], { known: 1n, weight: 3 }) }),
    edge: fc.oneof({ weight: 15, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom((1n << 64n) - 1n, (1n << 64n) - 4096n) }) })
    .map(({ n, off, len, hot, call, flags, edge }) => template('mlock', (c) => {
      const r = mapRange(c, n, off, len, hot);
      const cap = BigInt(c.limits.maxAllocPages) * P;
      return { kind: 'mlock', ...r, length: edge ?? (r.length > cap ? cap : r.length), call, flags: call === 'MLOCK2' ? flags : 0 };
    })),
  // msync with every flag combination the kernel checks, and the edge bits of its int flags word.
  msync: fc.record({ n: fc.nat(), off: mapOffsetArb, len: mapLenArb, hot: hotArb,
    flags: intWordArb([MS.ASYNC, MS.ASYNC, MS.SYNC, MS.SYNC, MS.INVALIDATE, MS.INVALIDATE, MS.ASYNC | MS.INVALIDATE, MS.SYNC | MS.INVALIDATE, MS.ASYNC | MS.SYNC, 0], { known: 7n, weight: 2 }) })
    .map(({ n, off, len, hot, flags }) => template('msync', (c) => ({ kind: 'msync', ...mapRange(c, n, off, len, hot), flags }))),
  // Every access path (GUP, FORCE, vmsplice, user copies); lengths that end inside a page, at its
  // end and past it, so that short counts (and pipes' whole-buffer counting) show.
  kernelAccess: fc.record({ a: accessArb, len: fc.constantFrom(1, 16, 4096, 4096, 8192, 12288), call: kernelCallArb, value: byteArb })
    .map(({ a, len, call, value }) => template('kernelAccess', (c) => ({ kind: 'kernelAccess', ...resolveAccess(a, c), len, call, value }))),
  // A word the sequence may have written (0, a stored byte, a byte in all four places) or not.
  futex: fc.record({ a: accessArb, op: futexOpArb, value: fc.oneof(fc.constant(0), byteArb, byteArb.map((b) => b * 0x01010101), fc.nat({ max: 0xffffffff })) })
    .map(({ a, op, value }) => template('futex', (c) => ({ kind: 'futex', ...resolveAccess(a, c), op, value }))),
  // Mostly page-aligned requests; sometimes a length of 512-byte blocks or none, a buffer off by 1, 4 or 512 bytes.
  directIo: fc.record({ n: fc.nat(), off: mapOffsetArb, hot: hotArb, pages: fc.integer({ min: 1, max: 3 }), sub: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(512, 100, -3584) }), skew: fc.oneof({ weight: 8, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constantFrom(1n, 4n, 512n) }), write: fc.boolean(), value: byteArb })
    .map(({ n, off, hot, pages, sub, skew, write, value }) => template('directIo', (c) => {
      const at = mapAt(c, n, off, hot);
      return { kind: 'directIo', ...at, offset: at.offset + skew, len: pages * 4096 + sub, write, value };
    })),
  // A pin over a few pages at a place in a mapping (so through its end and EOF too), now and then a
  // length io_uring or the iovec import refuses before any page: 0, 2^40 (too many pages), 2^40 + 1, 2^63.
  pin: fc.record({ n: fc.nat(), off: mapOffsetArb, hot: hotArb, pages: fc.integer({ min: 1, max: 4 }), sub: fc.constantFrom(0, 0, 0, -4095, -100, 1),
    edge: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(0n, 1n << 40n, (1n << 40n) + 1n, 1n << 63n, (1n << 64n) - 1n) }),
    how: fc.oneof({ weight: 3, arbitrary: fc.constant('IO_URING' as const) }, { weight: 2, arbitrary: fc.constant('VMSPLICE' as const) }) })
    .map(({ n, off, hot, pages, sub, edge, how }) => template('pin', (c) => {
      const at = mapAt(c, n, off, hot);
      return { kind: 'pin', ...at, length: edge ?? BigInt(pages * 4096 + sub), how, id: c.pins };
    })),
  unpin: fc.nat().map((n) => template('unpin', (c) => ({ kind: 'unpin', pin: pick(n, c.pins) }))),
  // Reads within the pin mostly; past its end (EFAULT for io_uring) and at offsets a pipe refuses sometimes.
  pinRead: fc.record({ n: fc.nat(), off: fc.oneof({ weight: 6, arbitrary: fc.constant(0n) }, { weight: 2, arbitrary: fc.constantFrom(1n, 4095n, 4096n, 8191n) }, { weight: 1, arbitrary: fc.constantFrom(1n << 20n, 1n << 63n, (1n << 64n) - 1n) }),
    len: fc.constantFrom(0, 1, 1, 16, 4096, 8192) })
    .map(({ n, off, len }) => template('pinRead', (c) => ({ kind: 'pinRead', pin: pick(n, c.pins), offset: off, len }))),
  mincore: fc.record({ n: fc.nat(), off: mapOffsetArb, pages: fc.integer({ min: 1, max: 8 }), hot: hotArb })
    .map(({ n, off, pages, hot }) => template('mincore', (c) => {
      return { kind: 'mincore', ...mapAt(c, n, off, hot), pages };
    })),
  // Observation (MAP-38, MAP-39): mostly the sequence's hot page or a page of a mapping, now and
  // then past its end (no VMA: 0 / null) or beyond the address space (no entry).
  pagemap: fc.record({ n: fc.nat(), off: mapOffsetArb, hot: hotArb, far: fc.oneof({ weight: 30, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(1n << 47n, -(1n << 47n), -P) }) })
    .map(({ n, off, hot, far }) => template('pagemap', (c) => {
      const at = mapAt(c, n, off, hot);
      return { kind: 'pagemap', map: at.map, offset: far ?? at.offset };
    })),
  smaps: fc.record({ n: fc.nat(), off: mapOffsetArb, hot: hotArb })
    .map(({ n, off, hot }) => template('smaps', (c) => ({ kind: 'smaps', ...mapAt(c, n, off, hot) }))),
} satisfies TemplateArbs;
