/**
 * The arena hint (adapters/native/_internals/addrspace.ts) skips a slot that something still maps,
 * so the kernel takes the hint and the mapping keeps its free gap (spanRange, mmapEx and mremap rely
 * on it). Pure address arithmetic against a fake VMA query: no syscall.
 */
import { describe, expect, it } from 'vitest';
import { ARENA_GAP, arenaHint, arenaOf, type VmaQuery } from '../../../adapters/native/_internals/addrspace.js';

const ZONE = 1n << 46n;
/** A query over a fixed list of [start, end) VMAs: the first one ending above `addr`. */
const vmas = (list: readonly (readonly [bigint, bigint])[]): VmaQuery => (addr) =>
  list.filter(([, e]) => e > addr).sort((x, y) => (x[0] < y[0] ? -1 : 1))[0] ?? null;

describe('arenaHint', () => {
  it('gives consecutive slots, each followed by its gap, when nothing is mapped', () => {
    const a = arenaOf(ZONE)!;
    const first = arenaHint(a, 4096n, vmas([]));
    expect(arenaHint(a, 4096n, vmas([]))).toBe(first + 4096n + ARENA_GAP);
  });

  it('skips a slot a leftover mapping holds (in the slot or in its gap)', () => {
    const a = arenaOf(ZONE)!;
    const lo = a.lo;
    const slot = 4096n + ARENA_GAP;
    const inGap = vmas([[lo + 8192n * 16n, lo + 8192n * 17n]]);
    expect(arenaHint(a, 4096n, inGap)).toBe(lo + slot);
    const b = arenaOf(ZONE)!;
    expect(arenaHint(b, 4096n, vmas([[lo, lo + 4096n], [lo + slot + ARENA_GAP, lo + slot + ARENA_GAP + 1n]]))).toBe(lo + 2n * slot);
  });

  it('gives no hint (the kernel chooses) when every slot it tries is busy, and none without a query of its own', () => {
    const a = arenaOf(ZONE)!;
    expect(arenaHint(a, 4096n, vmas([[a.lo, a.hi]]))).toBe(0n);
    const b = arenaOf(ZONE)!;
    expect(arenaHint(b, 4096n)).toBe(b.lo);
  });
});
