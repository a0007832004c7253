/**
 * A sparse map from half-open page ranges [start, end) to values: the emulator's range structure
 * for fallocated extents, shareability attributes, shared and VMA mempolicies and uffd
 * registrations. Page indices are plain numbers (a 2^63-byte file has < 2^52 pages, exact in a
 * double). Cost is O(log n + k) per lookup and O(n) worst case per update for n stored ranges, never
 * O(range length), so a 2^62-byte file with thousands of ranges stays cheap.
 */
export class RangeMap<V> {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly vals: V[] = [];

  constructor(private readonly eq: (a: V, b: V) => boolean = Object.is) {}

  get size(): number {
    return this.starts.length;
  }

  /** Index of the last range whose start is <= p, or -1. */
  private floor(p: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= p) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }

  get(p: number): V | undefined {
    const i = this.floor(p);
    return i >= 0 && p < this.ends[i]! ? this.vals[i] : undefined;
  }

  has(p: number): boolean {
    return this.get(p) !== undefined;
  }

  /** Removes [s, e), splitting ranges that straddle the edges. */
  delete(s: number, e: number): void {
    if (e <= s) return;
    let i = this.floor(s);
    if (i >= 0 && this.ends[i]! > s) {
      if (this.starts[i]! < s) {
        // Split off the left part [start, s).
        const end = this.ends[i]!;
        this.ends[i] = s;
        if (end > e) {
          this.starts.splice(i + 1, 0, e);
          this.ends.splice(i + 1, 0, end);
          this.vals.splice(i + 1, 0, this.vals[i]!);
          return;
        }
        i += 1;
      }
    } else i += 1;
    let j = i;
    while (j < this.starts.length && this.ends[j]! <= e) j += 1;
    if (j < this.starts.length && this.starts[j]! < e) this.starts[j] = e;
    if (j > i) {
      this.starts.splice(i, j - i);
      this.ends.splice(i, j - i);
      this.vals.splice(i, j - i);
    }
  }

  /** Sets [s, e) to v, merging with equal neighbours. */
  set(s: number, e: number, v: V): void {
    if (e <= s) return;
    this.delete(s, e);
    let i = this.floor(s) + 1;
    this.starts.splice(i, 0, s);
    this.ends.splice(i, 0, e);
    this.vals.splice(i, 0, v);
    if (i + 1 < this.starts.length && this.starts[i + 1] === e && this.eq(this.vals[i + 1]!, v)) {
      this.ends[i] = this.ends[i + 1]!;
      this.starts.splice(i + 1, 1);
      this.ends.splice(i + 1, 1);
      this.vals.splice(i + 1, 1);
    }
    if (i > 0 && this.ends[i - 1] === s && this.eq(this.vals[i - 1]!, v)) {
      this.ends[i - 1] = this.ends[i]!;
      this.starts.splice(i, 1);
      this.ends.splice(i, 1);
      this.vals.splice(i, 1);
      i -= 1;
    }
  }

  /** The stored pieces that intersect [s, e), clipped to it, in order. */
  overlaps(s: number, e: number): Array<readonly [number, number, V]> {
    const out: Array<readonly [number, number, V]> = [];
    let i = Math.max(this.floor(s), 0);
    for (; i < this.starts.length && this.starts[i]! < e; i += 1) {
      const a = Math.max(this.starts[i]!, s);
      const b = Math.min(this.ends[i]!, e);
      if (a < b) out.push([a, b, this.vals[i]!]);
    }
    return out;
  }

  /** True if every page of [s, e) has a value. */
  covers(s: number, e: number): boolean {
    let at = s;
    for (const [a, b] of this.overlaps(s, e)) {
      if (a > at) return false;
      at = b;
    }
    return at >= e;
  }

  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
    this.vals.length = 0;
  }
}
