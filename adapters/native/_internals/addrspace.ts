/**
 * Keeping a map-relative op from reaching memory the suite does not own, while still letting the
 * kernel give every answer. A range that leaves a mapping's own pages could land in another VMA of
 * this process (V8's heap, another map): the kernel would act on that memory, which neither the
 * spec can model nor Node survive. Such a range, and any range of a dead map handle, is *relocated*
 * into a dead zone: the middle of the largest unmapped gap, 2^41 bytes clear on both sides. There
 * the kernel validates the arguments in its own order and then finds no VMA, which is exactly what
 * an isolated address space with an unmapped gap after each mapping would answer.
 */
import { readFileSync } from 'node:fs';
import type { MapEntry } from './tables.js';

const PAGE = 4096n;
/** x86-64 user address space with 4-level paging (TASK_SIZE_MAX is just below 2^47). */
const USER_TOP = 1n << 47n;
/** Free space kept on each side of the dead zone; relocated ranges must fit inside it. */
const SPAN = 1n << 41n;
const GIB = 1n << 30n;

export const pageEnd = (m: MapEntry): bigint => m.base + ((m.length + PAGE - 1n) / PAGE) * PAGE;

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
  const v = vmas().sort((a, b) => (a[0] < b[0] ? -1 : 1));
  let best: [bigint, bigint] = [0n, 0n];
  let prev = 1n << 32n; // stay clear of the low 4 GiB (mmap_min_addr, legacy fixed mappings)
  for (const [s, e] of [...v, [USER_TOP, USER_TOP] as [bigint, bigint]]) {
    if (s > prev && s - prev > best[1] - best[0]) best = [prev, s];
    if (e > prev) prev = e;
  }
  if (best[1] - best[0] < 4n * SPAN) return undefined;
  return ((best[0] + best[1]) / 2n / GIB) * GIB;
};

/** Does the part of [lo, hi) outside the map's own pages intersect any VMA of this process? */
export const touchesForeign = (m: MapEntry, lo: bigint, hi: bigint): boolean => {
  const own: [bigint, bigint] = [m.base, pageEnd(m)];
  const parts = [[lo, hi < own[0] ? hi : own[0]], [lo > own[1] ? lo : own[1], hi]]
    .map(([a, b]): [bigint, bigint] => [a! < 0n ? 0n : a!, b! > USER_TOP ? USER_TOP : b!])
    .filter(([a, b]) => a < b);
  return parts.length > 0 && vmas().some(([s, e]) => parts.some(([a, b]) => s < b && a < e));
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

/** Is nothing mapped in [lo, hi)? (One read of /proc/self/maps, about 0.2 ms here.) */
const unmapped = (lo: bigint, hi: bigint): boolean => !vmas().some(([s, e]) => s < hi && lo < e);

export interface PlaceOpts {
  /** Allow `split` (the op acts on mapped parts before it meets a hole, like madvise/mincore). */
  readonly split: boolean;
  /**
   * Re-check that the dead-zone part is still unmapped right before the call. For ops that would
   * harm a mapping that appeared there since (V8 reserves address space at random hints): madvise,
   * mprotect, uffdRegister. The others (mincore, mbind, get_mempolicy, reads) cannot do harm.
   */
  readonly verify: boolean;
}

const relocate = (zone: bigint | undefined, addr: bigint, len: bigint, o: PlaceOpts): Placement =>
  zone === undefined || len >= SPAN || (o.verify && !unmapped(addr, addr + (len > 0n ? len : 1n)))
    ? { kind: 'none' } : { kind: 'relocated', addr };

/**
 * Placement of [base+offset, +len) of map `m` (undefined: a dead map handle, relocated with its
 * offset). A negative length needs no room: the kernel sees a huge size_t and rejects it first.
 */
export const place = (m: MapEntry | undefined, offset: bigint, len: bigint, zone: bigint | undefined, o: PlaceOpts): Placement => {
  if (m === undefined) return offset < -SPAN || offset >= SPAN || zone === undefined ? { kind: 'none' } : relocate(zone, zone + offset, len, o);
  const addr = addrOf(m, offset);
  if (withinMap(m, addr, len) || !touchesForeign(m, addr, addr + len)) return { kind: 'direct', addr };
  const end = pageEnd(m);
  if (o.split && addr >= m.base && addr < end && zone !== undefined) {
    const rest = relocate(zone, zone, len - (end - addr), o);
    return rest.kind === 'none' ? rest : { kind: 'split', addr, ownLen: end - addr, rest: zone, restLen: len - (end - addr) };
  }
  return zone === undefined ? { kind: 'none' } : relocate(zone, zone + (addr & (PAGE - 1n)), len, o);
};
