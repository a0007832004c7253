/** The closing text summary: one line per domain, totals, and rule coverage. */
import type { DomainResult } from './result.js';
import { coverage, coverageLines } from './coverage.js';

const STATUS = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP', error: 'ERROR' } as const;

/** A property that broke (infrastructure error) returns no stats, so its rule hits are unknown, not zero. */
export const rulesText = (r: DomainResult): string => (r.status === 'error' ? 'rules not counted' : `${r.ruleHits.size} rules`);

export const resultLine = (r: DomainResult): string => {
  const what = r.status === 'skip' ? `skipped: ${r.detail}`
    : `${r.sequences} sequences, ${r.opsChecked} ops checked, ${rulesText(r)}, ${(r.ms / 1000).toFixed(1)}s, seed ${r.seed}`;
  return `${STATUS[r.status].padEnd(5)} ${r.property.domain.padEnd(12)} ${what}`;
};

/** Did the run test nothing (no domain ran)? Exit 4, never a pass (cli/errors.ts). */
export const nothingTested = (results: readonly DomainResult[]): boolean => results.every((r) => r.status === 'skip');
export const NOTHING_LINE = 'nothing tested: every selected domain was skipped (exit 4)';

export const summaryLines = (results: readonly DomainResult[]): string[] => {
  const n = (s: DomainResult['status']) => results.filter((r) => r.status === s).length;
  const lines = ['', '== summary ==', ...results.map(resultLine)];
  for (const r of results) {
    if (r.status === 'error') lines.push(`  ${r.property.domain}: infrastructure error: ${r.detail}`);
    if (r.artifacts) lines.push(`  ${r.property.domain}: artifacts in ${r.artifacts}`);
  }
  lines.push(`passed ${n('pass')}, failed ${n('fail')}, skipped ${n('skip')}, errors ${n('error')}; ` +
    `${results.reduce((a, r) => a + r.opsChecked, 0)} ops checked against the spec`);
  lines.push(...coverageLines(coverage(results)));
  if (nothingTested(results)) lines.push(NOTHING_LINE);
  return lines;
};
