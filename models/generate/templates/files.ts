/** Templates for VMs, capabilities and file-level ops (rules CRE-*, FIO-*, LIFE-*). */
import fc from 'fast-check';
import { FALLOC } from '../../../spec/vocab/index.js';
import { pick } from '../context.js';
import { byteArb, hotArb, lenArb, offsetArb, resolveLen, resolveOffset, s64, sizeArb } from '../choices.js';
import { template, type TemplateArbs } from '../template.js';
import { word64Arb } from '../flags.js';

const { KEEP_SIZE, PUNCH_HOLE } = FALLOC;
const U64_MAX = (1n << 64n) - 1n;

/**
 * Creation flags: mostly all of what the profile advertises, or a subset of it (a random mask
 * ANDed with cap 244), sometimes fixed values and arbitrary single bits to reach CRE-2's refusals.
 */
type FlagsChoice = { readonly all: true } | { readonly mask: number } | { readonly fixed: bigint };
const flagsArb: fc.Arbitrary<FlagsChoice> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ all: true } as const) },
  { weight: 6, arbitrary: fc.nat(255).map((mask) => ({ mask })) },
  { weight: 2, arbitrary: fc.constantFrom(3n, 1n, 0n).map((fixed) => ({ fixed })) },
  { weight: 1, arbitrary: fc.constantFrom(2n, 4n, 5n, 7n, 1n << 63n).map((fixed) => ({ fixed })) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 63 }).map((b) => ({ fixed: 1n << BigInt(b) })) },
);
const resolveFlags = (f: FlagsChoice, advertised: bigint): bigint =>
  'all' in f ? advertised : 'mask' in f ? advertised & BigInt(f.mask) : f.fixed;
const reservedArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant([0n, 0n, 0n, 0n, 0n, 0n]) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 5 }).map((i) => [0, 1, 2, 3, 4, 5].map((j) => (j === i ? 1n : 0n))) },
  { weight: 1, arbitrary: fc.constant([U64_MAX, U64_MAX, U64_MAX, U64_MAX, U64_MAX, U64_MAX]) },
);
const modeArb = fc.oneof(
  { weight: 5, arbitrary: fc.constant(KEEP_SIZE) },
  { weight: 6, arbitrary: fc.constant(KEEP_SIZE | PUNCH_HOLE) },
  { weight: 1, arbitrary: fc.constantFrom(0, PUNCH_HOLE, KEEP_SIZE | FALLOC.ZERO_RANGE, KEEP_SIZE | PUNCH_HOLE | FALLOC.NO_HIDE_STALE, FALLOC.COLLAPSE_RANGE, FALLOC.INSERT_RANGE, KEEP_SIZE | FALLOC.UNSHARE_RANGE, 0x100) },
  // Edge bits of the C int: bit 31 (the sign) alone and with KEEP_SIZE, and all ones.
  { weight: 1, arbitrary: fc.constantFrom(-(2 ** 31), KEEP_SIZE | -(2 ** 31), -1) },
);

export const fileTemplates = {
  // Mostly a VM type the profile supports (so SW_PROTECTED VMs appear under conversion profiles),
  // sometimes an arbitrary one to exercise the refusal.
  createVm: fc.oneof(
    { weight: 10, arbitrary: fc.nat().map((n) => ({ supported: n })) },
    // Unsupported types, and the edge bits of the unsigned long (ENV-10: never a small type in disguise).
    { weight: 1, arbitrary: fc.constantFrom(1n, 2n, 5n, 99n, 1n << 31n, 1n << 32n, 1n << 63n, U64_MAX).map((type) => ({ type })) },
  ).map((t) => template('createVm', (c) => ({
    kind: 'createVm', id: c.vms, type: 'type' in t ? t.type : BigInt(c.vmTypes[t.supported % c.vmTypes.length] ?? 0),
  }))),
  closeVm: fc.nat().map((n) => template('closeVm', (c) => ({ kind: 'closeVm', vm: pick(n, c.vms) }))),
  // A capability number, sometimes with an edge bit of the long argument ORed in (ENV-10).
  checkExtension: fc.record({ n: fc.nat(), onVm: fc.boolean(), cap: word64Arb([10n, 231n, 232n, 233n, 234n, 235n, 236n, 244n, 245n, 250n, 0n, 9999n], { known: 0x3ffn }) })
    .map(({ n, onVm, cap }) => template('checkExtension', (c) => ({ kind: 'checkExtension', vm: onVm ? pick(n, c.vms) : null, cap }))),
  createGmem: fc.record({ n: fc.nat(), size: sizeArb, flags: flagsArb, reserved: reservedArb })
    .map(({ n, size, flags, reserved }) => template('createGmem', (c) => ({ kind: 'createGmem', vm: pick(n, c.vms), id: c.fds.length, size, flags: resolveFlags(flags, c.gmemFlags), reserved }))),
  createMemfd: fc.integer({ min: 1, max: 16 })
    .map((p) => template('createMemfd', (c) => ({ kind: 'createMemfd', id: c.fds.length, size: BigInt(p) * 4096n }))),
  close: fc.nat().map((n) => template('close', (c) => ({ kind: 'close', fd: pick(n, c.fds.length) }))),
  dup: fc.nat().map((n) => template('dup', (c) => ({ kind: 'dup', fd: pick(n, c.fds.length), id: c.fds.length }))),
  fstat: fc.nat().map((n) => template('fstat', (c) => ({ kind: 'fstat', fd: pick(n, c.fds.length) }))),
  fdFlags: fc.nat().map((n) => template('fdFlags', (c) => ({ kind: 'fdFlags', fd: pick(n, c.fds.length) }))),
  sameInode: fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => template('sameInode', (c) => ({ kind: 'sameInode', fd: pick(a, c.fds.length), other: pick(b, c.fds.length) }))),
  fileIo: fc.record({ n: fc.nat(), call: fc.constantFrom('read', 'write', 'pread', 'pwrite', 'lseek', 'fsync' as const), off: offsetArb({ huge: 0, near63: 0 }), len: fc.constantFrom(0, 1, 4096, 2 * 4096, 2 * 4096 + 1), value: byteArb, hot: hotArb })
    .map(({ n, call, off, len, value, hot }) => template('fileIo', (c) => {
      const fd = pick(n, c.fds.length);
      const h = hot ? c.hotOf(fd) : undefined;
      const offset = h ? h.page * 4096n : resolveOffset(off, c.fds[fd]?.size ?? 0n);
      return { kind: 'fileIo', fd, call, offset: s64(offset), len, value };
    })),
  ftruncate: fc.record({ n: fc.nat(), delta: fc.constantFrom(0n, 4096n, -4096n) })
    .map(({ n, delta }) => template('ftruncate', (c) => {
      const fd = pick(n, c.fds.length);
      const size = (c.fds[fd]?.size ?? 0n) + delta;
      return { kind: 'ftruncate', fd, size: s64(size < 0n ? 0n : size) };
    })),
  fallocate: fc.record({ n: fc.nat(), mode: modeArb, off: offsetArb(), len: lenArb(), hot: hotArb })
    .map(({ n, mode, off, len, hot }) => template('fallocate', (c) => {
      const fd = pick(n, c.fds.length);
      const h = hot ? c.hotOf(fd) : undefined;
      const size = c.fds[fd]?.size ?? 0n;
      const offset = h ? h.page * 4096n : resolveOffset(off, size);
      let length = resolveLen(len, offset, size);
      // Safety, not semantics: an allocating request on a real kernel must stay small.
      const cap = BigInt(c.limits.maxAllocPages) * 4096n;
      if ((mode & PUNCH_HOLE) === 0 && length > cap) length = cap + (length % 4096n);
      return { kind: 'fallocate', fd, mode, offset: s64(offset), len: s64(length) };
    })),
} satisfies TemplateArbs;
