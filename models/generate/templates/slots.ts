/** Templates for memslots, conversion and the guest side (rules SLOT-*, SHR-*, LVL-*). */
import fc from 'fast-check';
import { MEM, MEMORY_ATTRIBUTE_PRIVATE } from '../../../spec/vocab/index.js';
import type { SlotFd, UserAddr } from '../../../spec/vocab/index.js';
import type { GenContext } from '../context.js';
import { pick } from '../context.js';
import { byteArb, inPageArb, lenArb, offsetArb, resolveLen, resolveOffset, u64 } from '../choices.js';
import { word32Arb } from '../flags.js';
import { template, type TemplateArbs } from '../template.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const GPA_BASES = [0n, 1n << 30n, 1n << 32n] as const;
const G = MEM.GUEST_MEMFD;
const HUGE = 2n << 20n;

const slotIdArb = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom('last', 'nr', 'as1' as const) },
);
const resolveSlotId = (s: number | 'last' | 'nr' | 'as1', nr: number): number =>
  typeof s === 'number' ? s : s === 'last' ? nr - 1 : s === 'nr' ? nr : (1 << 16) | 0;

const uaddrArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('map' as const), n: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'null' as const, n: 0 }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'unaligned' as const, n: 0 }) },
);
const resolveUaddr = (u: { kind: 'map' | 'null' | 'unaligned'; n: number }, c: GenContext): UserAddr =>
  u.kind === 'map' ? { kind: 'map', map: pick(u.n, c.maps.length), offset: 0n } : { kind: u.kind };

const slotFdArb = fc.oneof(
  { weight: 10, arbitrary: fc.record({ kind: fc.constant('fd' as const), n: fc.nat() }) },
  { weight: 1, arbitrary: fc.constantFrom('vmFd', 'kvmFd', 'notOpen' as const).map((kind) => ({ kind, n: 0 })) },
  { weight: 1, arbitrary: fc.nat().map((n) => ({ kind: 'pathFd' as const, n })) },
);
const resolveSlotFd = (s: { kind: SlotFd['kind']; n: number }, c: GenContext): SlotFd =>
  s.kind === 'fd' || s.kind === 'pathFd' ? { kind: s.kind, fd: pick(s.n, c.fds.length) } : s.kind === 'vmFd' ? { kind: 'vmFd', vm: pick(s.n, c.vms) } : { kind: s.kind };

const gpaArb = fc.record({ base: fc.nat(GPA_BASES.length - 1), page: fc.nat(7), sub: fc.oneof({ weight: 15, arbitrary: fc.constant(0n) }, { weight: 1, arbitrary: fc.constant(2048n) }) });
const resolveGpa = (g: { base: number; page: number; sub: bigint }): bigint => GPA_BASES[g.base]! + BigInt(g.page) * P + g.sub;

/** Re-issue the last memslot request unchanged, or delete its slot (size 0): immutability and deletion. */
const againArb = fc.constantFrom('reissue', 'delete' as const).map((how) => template('setMemoryRegion', (c) => {
  const last = c.lastRegion ?? { kind: 'setMemoryRegion', vm: 0, v1: false, slot: 0, flags: G, gpa: 0n, size: P, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: 0n };
  return how === 'reissue' ? last : { ...last, size: 0n };
}));

const freshRegionArb = fc.record({
    n: fc.nat(), v1: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    slot: slotIdArb,
    flags: fc.oneof({ weight: 12, arbitrary: fc.constant(G) }, { weight: 2, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(G | MEM.READONLY, G | MEM.LOG_DIRTY_PAGES, G | (1 << 3)) }, { weight: 1, arbitrary: word32Arb([G, 0], { known: 7n }) }),
    gpa: gpaArb,
    size: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 8, arbitrary: fc.integer({ min: 1, max: 16 }) }, { weight: 1, arbitrary: fc.constant(-1) }),
    uaddr: uaddrArb, gmem: slotFdArb, off: offsetArb({ huge: 1, near63: 1, past: 1 }),
  }).map((g) => template('setMemoryRegion', (c) => {
    const gmem = resolveSlotFd(g.gmem, c);
    const fdSize = gmem.kind === 'fd' ? (c.fds[gmem.fd]?.size ?? 0n) : 0n;
    const pages = Math.min(g.size, c.limits.maxSlotPages);
    const size = g.size < 0 ? P + 2048n : BigInt(pages) * P;
    return {
      kind: 'setMemoryRegion', vm: pick(g.n, c.vms), v1: g.v1, slot: resolveSlotId(g.slot, c.nrMemslots), flags: g.flags,
      gpa: resolveGpa(g.gpa), size, uaddr: resolveUaddr(g.uaddr, c), gmem, gmemOffset: u64(resolveOffset(g.off, fdSize)),
    };
  }));

/**
 * The layout VMMs use with an MMAP guest_memfd: the slot's userspace_addr is the gmem's own mmap
 * and guest_memfd_offset is that mapping's file offset, so host and guest address the same pages
 * (SLOT-13/14; on kvm_pvm the only layout where the guest sees gmem, obs:finding 1). Random
 * picks rarely line these up, and guest-side rules such as LVL-1 (a host THP mapping behind
 * userspace_addr must not raise the guest level) are only reachable through it.
 */
const vmmRegionArb = fc.record({ n: fc.nat(), m: fc.nat() })
  .map(({ n, m }) => template('setMemoryRegion', (c) => {
    const gmemMaps = c.maps.map((info, id) => ({ info, id })).filter(({ info }) => c.fds[info.fd]?.gmem);
    const choice = gmemMaps.length > 0 ? gmemMaps[m % gmemMaps.length] : undefined;
    const info = choice?.info;
    // The slot covers the mapping's pages that lie inside the file (at least one page).
    const inFile = info ? (info.fdSize > info.fileOffset ? info.fdSize - info.fileOffset : 0n) : P;
    const bytes = info ? (info.length < inFile ? info.length : inFile) : P;
    const pages = BigInt(Math.min(Math.max(Number(bytes / P), 1), c.limits.maxSlotPages));
    // Like a VMM, lay guest memory out without collisions: the next free slot id and a GPA above
    // every slot requested so far in that VM (2 MiB aligned, as guest RAM banks usually are).
    const vm = (info && c.fds[info.fd]?.vm) ?? pick(n, c.vms);
    const mine = c.slots.filter((s) => s.vm === vm);
    const top = mine.reduce((t, s) => (s.gpa + s.size > t ? s.gpa + s.size : t), 0n);
    const gpa = (top + HUGE - 1n) / HUGE * HUGE;
    return {
      kind: 'setMemoryRegion', vm, v1: false, slot: mine.length % c.nrMemslots, flags: G,
      gpa, size: pages * P,
      uaddr: choice ? { kind: 'map', map: choice.id, offset: 0n } : { kind: 'null' },
      gmem: { kind: 'fd', fd: info?.fd ?? 0 }, gmemOffset: info?.fileOffset ?? 0n,
    };
  }));

/** Non-zero error_offset words a caller could send: a byte, a page, bit 63, all ones. */
const ERROR_OFFSET_EDGES = [1n, 4096n, 1n << 63n, (1n << 64n) - 1n] as const;

export const slotTemplates = {
  setMemoryRegion: fc.oneof({ weight: 5, arbitrary: freshRegionArb }, { weight: 3, arbitrary: vmmRegionArb }, { weight: 1, arbitrary: againArb }),
  // The caller's error_offset is 0 as a VMM sends it; about one call in 32 sends one of its edge
  // words instead (SHR-23: EINVAL). Taken from the high bits of the fd choice, so the draw adds no
  // randomness of its own and the other domains' sequences stay as they were.
  convert: fc.record({ n: fc.nat(), api: fc.constantFrom('GMEM-ATTR2', 'GMEM-CONVERT' as const), off: offsetArb({ huge: 0 }), len: lenArb({ huge: 0 }), toPrivate: fc.boolean() })
    .map(({ n, api, off, len, toPrivate }) => template('convert', (c) => {
      const errorOffsetIn = ((n >>> 10) & 31) === 31 ? ERROR_OFFSET_EDGES[(n >>> 15) & 3]! : 0n;
      const fd = pick(n, c.fds.length);
      const size = c.fds[fd]?.size ?? 0n;
      const offset = resolveOffset(off, size);
      return { kind: 'convert', fd, api, offset: u64(offset), len: u64(resolveLen(len, offset, size)), toPrivate, errorOffsetIn };
    })),
  setMemoryAttributes: fc.record({ n: fc.nat(), gpa: gpaArb, pages: fc.integer({ min: 0, max: 4 }), attributes: fc.constantFrom(MEMORY_ATTRIBUTE_PRIVATE, 0n, 1n) })
    .map(({ n, gpa, pages, attributes }) => template('setMemoryAttributes', (c) => ({ kind: 'setMemoryAttributes', vm: pick(n, c.vms), gpa: resolveGpa(gpa), size: BigInt(pages) * P, attributes }))),
  // Mostly in the newest slot with the VMM layout (the likeliest to exist), else the newest or any.
  // The access runs in the slot's own VM unless `foreign` (another VM's vCPU never sees the slot).
  guestAccess: fc.record({ n: fc.nat(), foreign: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), s: fc.oneof(fc.constant('vmm' as const), fc.constant('newest' as const), fc.nat()), page: fc.nat(3), byte: inPageArb, write: fc.boolean(), value: byteArb })
    .map(({ n, foreign, s, page, byte, write, value }) => template('guestAccess', (c) => {
      const vmm = c.slots.filter((x) => x.vmmLayout);
      const slot = s === 'vmm' && vmm.length > 0 ? vmm[vmm.length - 1] : c.slots[s === 'newest' || s === 'vmm' ? c.slots.length - 1 : pick(s, c.slots.length)];
      return { kind: 'guestAccess', vm: slot && !foreign ? slot.vm : pick(n, c.vms), gpa: (slot?.gpa ?? 0n) + BigInt(page) * P + byte, write, value };
    })),
  // Mostly the page the last guest access faulted in: the level is only defined after a fault.
  guestMapLevel: fc.record({ n: fc.nat(), s: fc.nat(), page: fc.nat(3), last: fc.oneof({ weight: 1, arbitrary: fc.constant(false) }, { weight: 2, arbitrary: fc.constant(true) }) })
    .map(({ n, s, page, last }) => template('guestMapLevel', (c) => {
      const slot = c.slots[pick(s, c.slots.length)];
      const g = c.lastGuest;
      if (last && g) return { kind: 'guestMapLevel', vm: g.vm, gpa: g.gpa - (g.gpa % P) };
      return { kind: 'guestMapLevel', vm: slot?.vm ?? pick(n, c.vms), gpa: (slot?.gpa ?? 0n) + BigInt(page) * P };
    })),
} satisfies TemplateArbs;
