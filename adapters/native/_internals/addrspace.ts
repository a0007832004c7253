/**
 * Keeping a map-relative op from reaching memory the suite does not own, while still letting the
 * kernel give the answer. A range that leaves a live mapping's own pages could land in another VMA
 * of this process (V8's heap, another map): the kernel would act on that memory, which neither the
 * spec can model nor Node survive. Such a range (or the part past the mapping) is *relocated* into
 * a dead zone: the middle of the largest unmapped gap, 2^41 bytes clear on both sides. There the
 * kernel validates the arguments in its own order and then finds no VMA, which is what an isolated
 * address space with an unmapped gap after each mapping would answer (spec/README.md).
 */
import { readFileSync } from 'node:fs';
import type { MapEntry } from './tables.js';
import { PAGE_SIZE as PAGE } from '../../../spec/vocab/handles.js';

/** x86-64 user address space with 4-level paging (TASK_SIZE_MAX is just below 2^47). */
export const USER_TOP = 1n << 47n;
/** Free space kept on each side of the dead zone; relocated ranges must fit inside it. */
const SPAN = 1n << 41n;
const GIB = 1n << 30n;

export const pageEnd = (m: MapEntry): bigint => m.base + ((m.length + PAGE - 1n) / PAGE) * PAGE;

/** A length as the size_t the kernel receives: a negative bigint is its two's complement. */
export const sizeT = (len: bigint): bigint => BigInt.asUintN(64, len);

/**
 * Does the range reach no VMA at all whatever is mapped? The kernel rounds the length up to a page
 * and computes end = start + len in 64 bits. When that wraps, or the rounded length is 0, the walk
 * over [start, end) is empty — and madvise, mbind, mincore (access_ok) and UFFDIO_REGISTER
 * (validate_range) reject end < start before they look at any VMA (mm/madvise.c do_madvise,
 * mm/mempolicy.c do_mbind, fs/userfaultfd.c validate_range). Such a range goes to the kernel as
 * is, so its own errno comes back. (GUP and one-byte accesses wrap only from addresses past the
 * user address space, where nothing is mapped.)
 */
export const reachesNothing = (addr: bigint, len: bigint): boolean => {
  const rounded = (sizeT(len) + PAGE - 1n) & ~(PAGE - 1n);
  return rounded === 0n || addr + rounded >= 1n << 64n;
};

/** base + offset as the u64 the kernel receives (C pointer arithmetic wraps the same way). */
export const addrOf = (m: MapEntry, offset: bigint): bigint => BigInt.asUintN(64, m.base + offset);

/** Is [addr, addr+len) within the map's own pages? */
export const withinMap = (m: MapEntry, addr: bigint, len: bigint): boolean =>
  addr >= m.base && len >= 0n && addr + len <= pageEnd(m);

const vmas = (): [bigint, bigint][] =>
  readFileSync('/proc/self/maps', 'utf8').split('\n').flatMap((line): [bigint, bigint][] => {
    const dash = line.indexOf('-');
    const space = line.indexOf(' ');
    return dash < 0 || space < 0 ? [] : [[BigInt(`0x${line.slice(0, dash)}`), BigInt(`0x${line.slice(dash + 1, space)}`)]];
  });

/** The dead zone of this process right now, or undefined if no gap is large enough. */
export const findDeadZone = (): bigint | undefined => {
  // Only user space counts: the vsyscall page (0xffffffffff600000) is listed too.
  const v = vmas().filter(([s]) => s < USER_TOP).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  let best: [bigint, bigint] = [0n, 0n];
  let prev = 1n << 32n; // stay clear of the low 4 GiB (mmap_min_addr, legacy fixed mappings)
  for (const [s, e] of [...v, [USER_TOP - PAGE, USER_TOP] as [bigint, bigint]]) {
    if (s > prev && s - prev > best[1] - best[0]) best = [prev, s];
    if (e > prev) prev = e;
  }
  if (best[1] - best[0] < 4n * SPAN) return undefined;
  return ((best[0] + best[1]) / 2n / GIB) * GIB;
};

/** The VMA covering or following an address (PROCMAP_QUERY), null if none. */
export type VmaQuery = (addr: bigint) => readonly [bigint, bigint] | null;

/** A VmaQuery from the addon, falling back to /proc/self/maps where PROCMAP_QUERY is missing. */
export const vmaQuery = (next: (addr: bigint) => [bigint, bigint] | null | number): VmaQuery => (addr) => {
  const r = next(addr);
  if (typeof r !== 'number') return r;
  const after = vmas().filter(([, e]) => e > addr).sort((x, y) => (x[0] < y[0] ? -1 : 1));
  return after[0] ?? null;
};

/** Is nothing mapped in [lo, hi)? */
export const unmapped = (q: VmaQuery, lo: bigint, hi: bigint): boolean => {
  const a = lo < 0n ? 0n : lo;
  const b = hi > USER_TOP ? USER_TOP : hi;
  if (a >= b) return true;
  const v = q(a);
  return v === null || v[0] >= b;
};

/** Does the part of [lo, hi) outside the map's own pages intersect any VMA of this process? */
export const touchesForeign = (q: VmaQuery, m: MapEntry, lo: bigint, hi: bigint): boolean => {
  const end = pageEnd(m);
  return !unmapped(q, lo, hi < m.base ? hi : m.base) || !unmapped(q, lo > end ? lo : end, hi);
};

/**
 * Where a ranged op goes: `direct` (as issued), `split` (the mapping's own pages, then the rest
 * relocated), `relocated` (the whole range in the dead zone, same in-page offset), or `none` (no
 * safe place: the caller answers as for a dead map without a syscall).
 */
export type Placement =
  | { readonly kind: 'direct'; readonly addr: bigint }
  | { readonly kind: 'split'; readonly addr: bigint; readonly ownLen: bigint; readonly rest: bigint; readonly restLen: bigint }
  | { readonly kind: 'relocated'; readonly addr: bigint }
  | { readonly kind: 'none' };

export interface PlaceOpts {
  /** Allow `split` (the op acts on mapped parts before it meets a hole, like madvise/mincore). */
  readonly split: boolean;
}

/**
 * The dead-zone part is re-checked right before every call (one PROCMAP_QUERY, ~5 µs): V8
 * reserves address space at random hints, so something may have appeared there since.
 */
const relocate = (q: VmaQuery, zone: bigint | undefined, addr: bigint, len: bigint): Placement =>
  zone === undefined || len >= SPAN || !unmapped(q, addr, addr + (len > 0n ? len : 1n))
    ? { kind: 'none' } : { kind: 'relocated', addr };

/**
 * Placement of [base+offset, +len) of the live map `m`, with `len` read as the size_t the kernel
 * receives: a negative length is not "nothing" but close to 2^64 bytes (issue 12: −2^62 passed as
 * direct once, and madvise(DONTNEED) zapped every VMA above a 4 KiB map). Only a range that
 * reaches nothing (see reachesNothing) or stays off every VMA the target does not own is direct.
 */
export const place = (q: VmaQuery, m: MapEntry, offset: bigint, len: bigint, zone: bigint | undefined, o: PlaceOpts): Placement => {
  const addr = addrOf(m, offset);
  const size = sizeT(len);
  if (reachesNothing(addr, size) || withinMap(m, addr, size) || !touchesForeign(q, m, addr, addr + size)) return { kind: 'direct', addr };
  const end = pageEnd(m);
  if (o.split && addr >= m.base && addr < end && zone !== undefined) {
    const restLen = size - (end - addr);
    const rest = relocate(q, zone, zone, restLen);
    return rest.kind === 'none' ? rest : { kind: 'split', addr, ownLen: end - addr, rest: zone, restLen };
  }
  return zone === undefined ? { kind: 'none' } : relocate(q, zone, zone + (addr & (PAGE - 1n)), size);
};

/**
 * The arena: where this target asks the kernel to put the suite's mappings (a hint, never
 * MAP_FIXED), one slot each with ARENA_GAP of free space after it, inside the dead zone's gap but
 * clear of the dead zone itself ([zone − 2·SPAN, zone − SPAN)). The gap is what the spec's isolated
 * address space promises after every mapping: a MAP_FIXED mapping over a map and longer than it
 * (mmapEx) then covers only unmapped space. A hint the kernel cannot take (the range is busy, or
 * MAP_32BIT) just lands elsewhere; ops-mapex.ts checks before every fixed mapping.
 */
export const ARENA_GAP = 2n << 30n;
/** Mappings longer than this get no hint (the generators never map more than 1 GiB natively). */
const ARENA_MAX_MAP = 1n << 36n;

export interface Arena {
  readonly lo: bigint;
  readonly hi: bigint;
  next: bigint;
}

export const arenaOf = (zone: bigint | undefined): Arena | undefined =>
  zone === undefined ? undefined : { lo: zone - 2n * SPAN, hi: zone - SPAN, next: zone - 2n * SPAN };

/** How many busy slots a hint skips before it gives up and lets the kernel choose. */
const ARENA_TRIES = 64;

/**
 * The next free slot's address for a mapping of `len` bytes (the size_t), or 0n (no hint). A slot
 * counts as free when nothing is mapped from it to the end of its gap (`q`): a slot still held —
 * after the arena wrapped, or by a mapping another target of this process left there — would make
 * the kernel put the mapping elsewhere, top-down below some VMA, with no free gap after it
 * (spanRange, mmapEx and mremap need that gap; a 60 s native run met this after ~15k sequences).
 */
export const arenaHint = (a: Arena | undefined, len: bigint, q?: VmaQuery): bigint => {
  const size = (sizeT(len) + PAGE - 1n) & ~(PAGE - 1n);
  if (a === undefined || size === 0n || size > ARENA_MAX_MAP) return 0n;
  for (let i = 0; i < ARENA_TRIES; i += 1) {
    if (a.next + size + ARENA_GAP > a.hi) a.next = a.lo;
    const at = a.next;
    a.next += size + ARENA_GAP;
    if (q === undefined || unmapped(q, at, at + size + ARENA_GAP)) return at;
  }
  return 0n;
};
