/**
 * Keeping a map-relative op from reaching memory the suite does not own. A range that leaves a
 * mapping's own pages could land in some other mapping of this process (V8's heap, another map):
 * the kernel would then act on that memory, which neither the spec can model nor Node survive.
 * Callers synthesize the answer an isolated address space would give only when such a foreign
 * VMA is really there; a range past the end that is unmapped goes to the kernel as issued.
 */
import { readFileSync } from 'node:fs';
import type { MapEntry } from './tables.js';

const PAGE = 4096n;
/** x86-64 user address space with 4-level paging (TASK_SIZE_MAX is just below 2^47). */
const USER_TOP = 1n << 47n;

export const pageEnd = (m: MapEntry): bigint => m.base + ((m.length + PAGE - 1n) / PAGE) * PAGE;

/** base + offset as the u64 the kernel receives (C pointer arithmetic wraps the same way). */
export const addrOf = (m: MapEntry, offset: bigint): bigint => BigInt.asUintN(64, m.base + offset);

/** Is [addr, addr+len) within the map's own pages? */
export const withinMap = (m: MapEntry, addr: bigint, len: bigint): boolean =>
  addr >= m.base && len >= 0n && addr + len <= pageEnd(m);

/** Does the part of [lo, hi) outside the map's own pages intersect any VMA of this process? */
export const touchesForeign = (m: MapEntry, lo: bigint, hi: bigint): boolean => {
  const own: [bigint, bigint] = [m.base, pageEnd(m)];
  const parts: [bigint, bigint][] = [[lo, hi < own[0] ? hi : own[0]], [lo > own[1] ? lo : own[1], hi]];
  const clipped = parts
    .map(([a, b]): [bigint, bigint] => [a < 0n ? 0n : a, b > USER_TOP ? USER_TOP : b])
    .filter(([a, b]) => a < b);
  if (clipped.length === 0) return false;
  for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const dash = line.indexOf('-');
    const space = line.indexOf(' ');
    if (dash < 0 || space < 0) continue;
    const s = BigInt(`0x${line.slice(0, dash)}`);
    const e = BigInt(`0x${line.slice(dash + 1, space)}`);
    if (clipped.some(([a, b]) => s < b && a < e)) return true;
  }
  return false;
};
