import { describe, expect, it } from 'vitest';
import { pageLabel, place, segments } from '../../../models/html/layout.js';
import { HUGE_FILE, run } from './fixtures.js';

describe('page-run layout', () => {
  it('fills the gaps between runs so the segments cover the whole file', () => {
    const s = segments([run(4, 2), run(10, 1)], 16);
    expect(s.map((x) => [x.first, x.count, x.run !== undefined])).toEqual([[0, 4, false], [4, 2, true], [6, 4, false], [10, 1, true], [11, 5, false]]);
  });

  it('draws a 2^50-page file proportionally but gives every run at least the minimum width', () => {
    const placed = place(segments(HUGE_FILE.runs, HUGE_FILE.sizePages), 640, 10);
    expect(placed).toHaveLength(4);
    for (const p of placed) expect(p.width).toBeGreaterThanOrEqual(10 - 1e-9);
    expect(placed.reduce((a, p) => a + p.width, 0)).toBeCloseTo(640, 6);
    // The last run holds almost every page, so it takes almost all of the free width.
    expect(placed[3]!.width).toBeGreaterThan(600);
    expect(placed.map((p) => p.x)).toEqual([...placed.map((p) => p.x)].sort((a, b) => a - b));
  });

  it('grows past the nominal width rather than squeezing runs below the minimum', () => {
    const many = Array.from({ length: 100 }, (_, i) => run(i, 1));
    const placed = place(segments(many, 100), 640, 10);
    expect(placed.reduce((a, p) => a + p.width, 0)).toBeCloseTo(1000, 6);
  });

  it('labels huge page numbers as powers of two or hex', () => {
    expect(pageLabel(15)).toBe('15');
    expect(pageLabel(2 ** 50)).toBe('2^50');
    expect(pageLabel(2 ** 40 + 1)).toBe('0x10000000001');
  });
});
