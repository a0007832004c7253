/**
 * The mapping family of the wider kernel surface (issue 15; docs/kernel-surface.md rows E02–E05,
 * G14): mmap with its whole flags word and a placement. Declared here and spread into ./ops.ts's
 * OPS, so this family grows without touching the other families' lines. The plain `mmap` op
 * (MAP_SHARED or MAP_PRIVATE, the kernel choosing the address) stays as it was, so saved traces
 * and replay tokens keep their meaning.
 *
 * What keeps every entry point safe: the address is never a field. It is derived from a placement
 * that names a mapping of the test — `any` (NULL: the kernel chooses) or `over` (map M's base) — and the flags word is sent as the unsigned long the
 * kernel receives with two harness conventions (spec/vocab/CONVENTIONS.md): MAP_ANONYMOUS is
 * cleared (this op maps its fd; an anonymous mapping is not what it tests), and under `any` (or a
 * placement naming a dead map) MAP_FIXED and MAP_FIXED_NOREPLACE are cleared (a fixed mapping at
 * address 0 would, for root, map over whatever lies above it).
 */
import { creates, handle, u64, variant, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const fd = handle('fd');
const map = handle('map');

/**
 * mmap flag bits on x86-64 (include/uapi/linux/mman.h, include/uapi/asm-generic/mman*.h,
 * arch/x86/include/uapi/asm/mman.h, v7.2). TYPE is the mask of the mapping type (SHARED,
 * PRIVATE, SHARED_VALIDATE; DROPPABLE is anonymous only).
 */
export const MAP_FLAG = {
  SHARED: 0x01n, PRIVATE: 0x02n, SHARED_VALIDATE: 0x03n, DROPPABLE: 0x08n, TYPE: 0x0fn,
  FIXED: 0x10n, ANONYMOUS: 0x20n, '32BIT': 0x40n, ABOVE4G: 0x80n, GROWSDOWN: 0x100n, DENYWRITE: 0x800n,
  EXECUTABLE: 0x1000n, LOCKED: 0x2000n, NORESERVE: 0x4000n, POPULATE: 0x8000n, NONBLOCK: 0x10000n,
  STACK: 0x20000n, HUGETLB: 0x40000n, SYNC: 0x80000n, FIXED_NOREPLACE: 0x100000n, UNINITIALIZED: 0x4000000n,
  HUGE_2MB: 21n << 26n, HUGE_1GB: 30n << 26n,
} as const;

/**
 * include/linux/mman.h LEGACY_MAP_MASK on x86-64: the bits every file accepts without an
 * mmap_validate. MAP_SHARED drops every other bit; MAP_SHARED_VALIDATE refuses them (EOPNOTSUPP),
 * MAP_SYNC too unless the file has FOP_MMAP_SYNC (neither shmem nor guest_memfd has). MAP_SYNC and
 * MAP_FIXED_NOREPLACE are outside it; the HUGE_2MB|HUGE_1GB encodings cover bits 26..30.
 */
export const LEGACY_MAP_MASK = [
  'SHARED', 'PRIVATE', 'FIXED', 'ANONYMOUS', 'DENYWRITE', 'EXECUTABLE', 'UNINITIALIZED', 'GROWSDOWN', 'LOCKED', 'NORESERVE',
  'POPULATE', 'NONBLOCK', 'STACK', 'HUGETLB', '32BIT', 'ABOVE4G', 'HUGE_2MB', 'HUGE_1GB',
].reduce((m, k) => m | MAP_FLAG[k as keyof typeof MAP_FLAG], 0n);

/**
 * Where an mmapEx asks for its mapping (the address is derived, never given). A placement just
 * after a mapping was left out: adjacency is not observable through the map handles (a range past
 * a mapping's end is placed where it meets no VMA, spec/vocab/CONVENTIONS.md), and a second
 * mapping after the same one would need the spec to model addresses.
 */
export type MapPlace = { readonly kind: 'any' } | { readonly kind: 'over'; readonly map: number };

/**
 * The flags word a target sends for a placement that does (`placed`) or does not name a live map:
 * MAP_ANONYMOUS always cleared, the fixed bits cleared unless placed (CONVENTIONS.md).
 */
export const sentMapFlags = (flags: bigint, placed: boolean): bigint =>
  flags & ~(MAP_FLAG.ANONYMOUS | (placed ? 0n : MAP_FLAG.FIXED | MAP_FLAG.FIXED_NOREPLACE));

export const MAP_OPS = {
  mmapEx: decl({
    doc: 'mmap() of an fd with a whole flags word (MAP_*; an unsigned long) at a placement: any (NULL) or over map M (its base)',
    fields: {
      fd, id: creates('map'), offset: u64(), length: u64(), prot: u64('hex'), flags: u64('hex'),
      place: variant({ any: {}, over: { map } }),
    },
    footprint: (o): Footprint => ({ fd: o.fd, offset: o.offset, len: o.length }),
  }),
} as const;
