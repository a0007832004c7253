/**
 * KTAP output of `gmemcheck run --format ktap` (Documentation/dev-tools/ktap.rst): a version
 * line and plan, then per rule domain a nested test (indented two spaces, its own version line
 * and plan) with one subtest per property/profile, and the domain's result line. Skips carry
 * `# SKIP <reason>`, infrastructure failures `# ERROR <reason>`; everything else is a `# `
 * diagnostic line. Descriptions never contain '#', which KTAP reserves for directives.
 */
import type { DomainResult } from './result.js';
import { NOTHING_LINE, nothingTested, rulesText } from './summary.js';

const clean = (s: string): string => s.replace(/#/g, '').replace(/\s+/g, ' ').trim();

export const ktapHeader = (plan: number): string[] => ['KTAP version 1', `1..${plan}`];

export const ktapDiag = (text: string, indent = ''): string[] => text.split('\n').map((l) => `${indent}# ${l}`.trimEnd());

export const ktapDomain = (r: DomainResult, n: number): string[] => {
  const sub = `${clean(r.property.claim)} [profile ${clean(r.profile)}]`;
  const ok = r.status !== 'fail' && r.status !== 'error';
  const directive = r.status === 'skip' ? ` # SKIP ${clean(r.detail ?? '')}` : r.status === 'error' ? ` # ERROR ${clean(r.detail ?? '')}` : '';
  return [
    '  KTAP version 1',
    '  1..1',
    ...(r.status === 'skip' ? [] : ktapDiag(`${r.sequences} sequences, ${r.opsChecked} ops checked, ${rulesText(r)}, seed ${r.seed}`, '  ')),
    ...(r.status === 'fail' && r.detail ? ktapDiag(r.detail, '  ') : []),
    ...(r.artifacts ? ktapDiag(`artifacts: ${r.artifacts}`, '  ') : []),
    `  ${ok ? 'ok' : 'not ok'} 1 ${sub}${directive}`,
    `${ok ? 'ok' : 'not ok'} ${n} ${r.property.domain}${directive}`,
  ];
};

export const ktapTotals = (results: readonly DomainResult[]): string[] => {
  const n = (s: DomainResult['status']) => results.filter((r) => r.status === s).length;
  return [
    `# totals: pass:${n('pass')} fail:${n('fail')} xfail:0 xpass:0 skip:${n('skip')} error:${n('error')}`,
    ...(nothingTested(results) ? [`# ${NOTHING_LINE}`] : []),
  ];
};
