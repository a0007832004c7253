/**
 * Horizontal layout of a file's page runs. A file may have 2^50 pages and one interesting page, so
 * widths are proportional to page counts but never below a minimum: every run stays visible and
 * clickable, and the big ones share what is left. Gaps between runs become segments of their own.
 */
import type { PageRun } from '../../spec/verdict.js';

export interface Segment {
  readonly first: number;
  readonly count: number;
  /** Undefined: pages the view lists no run for. */
  readonly run?: PageRun;
}

export interface Placed extends Segment {
  readonly x: number;
  readonly width: number;
}

/** Runs sorted by first page, with the pages between and after them as gap segments. */
export const segments = (runs: readonly PageRun[], sizePages: number): Segment[] => {
  const out: Segment[] = [];
  let at = 0;
  for (const run of [...runs].sort((a, b) => a.first - b.first)) {
    if (run.first > at) out.push({ first: at, count: run.first - at });
    out.push({ first: run.first, count: run.count, run });
    at = Math.max(at, run.first + run.count);
  }
  if (sizePages > at) out.push({ first: at, count: sizePages - at });
  return out;
};

/**
 * Widths summing to `width` (or to segments × minWidth when that is more): segments whose
 * proportional share is below `minWidth` get exactly `minWidth`, the rest share the remainder in
 * proportion. Repeats until no proportional share falls below the minimum.
 */
export const place = (segs: readonly Segment[], width: number, minWidth: number): Placed[] => {
  const total = Math.max(width, segs.length * minWidth);
  const fixed = new Set<number>();
  for (;;) {
    const free = total - fixed.size * minWidth;
    const pages = segs.reduce((a, s, i) => (fixed.has(i) ? a : a + s.count), 0);
    const grow = segs.findIndex((s, i) => !fixed.has(i) && (free * s.count) / pages < minWidth);
    if (grow < 0 || pages === 0) break;
    fixed.add(grow);
  }
  const free = total - fixed.size * minWidth;
  const pages = segs.reduce((a, s, i) => (fixed.has(i) ? a : a + s.count), 0);
  let x = 0;
  return segs.map((s, i) => {
    const w = fixed.has(i) || pages === 0 ? minWidth : (free * s.count) / pages;
    const p = { ...s, x, width: w };
    x += w;
    return p;
  });
};

/** A page number for a label: decimal when short, 2^k or hex when huge. */
export const pageLabel = (n: number): string => {
  if (n < 100_000) return String(n);
  const k = Math.log2(n);
  return Number.isInteger(k) ? `2^${k}` : `0x${n.toString(16)}`;
};

export const rangeLabel = (s: Segment): string =>
  s.count === 1 ? `p${pageLabel(s.first)}` : `p${pageLabel(s.first)}–${pageLabel(s.first + s.count - 1)}`;
