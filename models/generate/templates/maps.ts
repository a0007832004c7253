/** Templates for mappings and host accesses (rules MAP-*, FIO-9, LIFE-*). */
import fc from 'fast-check';
import { PROT } from '../../../spec/vocab/index.js';
import type { GenContext, MapInfo } from '../context.js';
import { hotInMap, pick } from '../context.js';
import { byteArb, hotArb, inPageArb, lenArb, offsetArb, pageArb, resolveInMap, resolveLen, resolveOffset, u64, type OffsetChoice } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const RW = PROT.READ | PROT.WRITE;
const protArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant(RW) },
  { weight: 1, arbitrary: fc.constantFrom(PROT.READ, PROT.READ | PROT.EXEC, RW | PROT.EXEC, PROT.NONE) },
);
const resolveArb = fc.constantFrom('COPY', 'CONTINUE', 'ZEROPAGE' as const);

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
  mprotect: fc.record({ n: fc.nat(), prot: fc.constantFrom(PROT.READ, RW, PROT.READ | PROT.EXEC, PROT.NONE) })
    .map(({ n, prot }) => template('mprotect', (c) => ({ kind: 'mprotect', map: pick(n, c.maps.length), prot }))),
  load: fc.record({ a: accessArb, how: resolveArb, fill: byteArb })
    .map(({ a, how, fill }) => template('load', (c) => ({ kind: 'load', ...resolveAccess(a, c), onUserfault: how, fill }))),
  store: fc.record({ a: accessArb, value: byteArb, how: resolveArb, fill: byteArb })
    .map(({ a, value, how, fill }) => template('store', (c) => ({ kind: 'store', ...resolveAccess(a, c), value, onUserfault: how, fill }))),
  madvise: fc.record({ n: fc.nat(), off: mapOffsetArb, len: mapLenArb, hot: hotArb, advice: fc.constantFrom('DONTNEED', 'DONTNEED', 'REMOVE', 'REMOVE', 'COLLAPSE', 'HUGEPAGE', 'POPULATE_READ', 'POPULATE_WRITE' as const) })
    .map(({ n, off, len, hot, advice }) => template('madvise', (c) => {
      const r = mapRange(c, n, off, len, hot);
      const cap = BigInt(c.limits.maxAllocPages) * P;
      const populates = advice === 'POPULATE_READ' || advice === 'POPULATE_WRITE';
      return { kind: 'madvise', ...r, length: populates && r.length > cap ? cap : r.length, advice };
    })),
  kernelAccess: fc.record({ a: accessArb, len: fc.constantFrom(1, 16, 4096), call: fc.constantFrom('process_vm_readv', 'process_vm_writev' as const), value: byteArb })
    .map(({ a, len, call, value }) => template('kernelAccess', (c) => ({ kind: 'kernelAccess', ...resolveAccess(a, c), len, call, value }))),
  mincore: fc.record({ n: fc.nat(), off: mapOffsetArb, pages: fc.integer({ min: 1, max: 8 }), hot: hotArb })
    .map(({ n, off, pages, hot }) => template('mincore', (c) => {
      return { kind: 'mincore', ...mapAt(c, n, off, hot), pages };
    })),
} satisfies TemplateArbs;
