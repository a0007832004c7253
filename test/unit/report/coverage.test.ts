import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../spec/catalogue/index.js';
import { formatCoverage, ruleCoverage } from '../../../models/diff/coverage.js';
import { RunStats } from '../../../models/stats.js';

const stats = (): RunStats => {
  const s = new RunStats();
  s.hit(['CRE-1', 'GEN-EBADF']);
  s.hit(['CRE-1']);
  s.hit(['SLOT-7']);
  s.hit(['NOT-A-RULE']);
  return s;
};

describe('rule coverage', () => {
  it('counts hits per catalogue rule and lists every rule never exercised', () => {
    const c = ruleCoverage(stats());
    expect(c.hit).toEqual(expect.arrayContaining([{ id: 'CRE-1', hits: 2 }, { id: 'SLOT-7', hits: 1 }, { id: 'GEN-EBADF', hits: 1 }]));
    expect(c.hit).toHaveLength(3);
    expect(c.never).toHaveLength(CATALOGUE.size - 3);
    expect(c.never.map((r) => r.id)).toContain('POL-1′');
    expect(c.unknown).toEqual([{ id: 'NOT-A-RULE', hits: 1 }]);
  });

  it('prints hits, the unexercised rules with their observability tag, and unknown ids', () => {
    const text = formatCoverage(stats());
    expect(text).toMatch(new RegExp(`^rule coverage: 3 of ${CATALOGUE.size} catalogue rules`));
    expect(text).toContain('CRE-1×2');
    expect(text).toMatch(/never exercised \(\d+; observability on 6.18 in brackets\):/);
    expect(text).toContain(`POL-1′[${CATALOGUE.get('POL-1′')!.observability}]`);
    expect(text).not.toMatch(/never exercised[\s\S]*CRE-1\[/);
    expect(text).toContain('not in the catalogue: NOT-A-RULE×1');
  });
});
