/**
 * KTAP output of `gmemcheck run --format ktap` (Documentation/dev-tools/ktap.rst): a version
 * line and plan, then per rule domain a nested test (indented two spaces, its own version line
 * and plan) whose subtests are the distinct failures the property found, `not ok` (FAIL) or
 * `ok … # XFAIL <reason>` (a known deviation of --expect, as kselftest reports expected failures),
 * and one last subtest for every other verdict of the property. With --expect, a final test lists
 * the baseline's entries that did not occur: `ok … # XPASS` (or `not ok` under --strict-expect),
 * `ok … # SKIP not reached`. Skips carry `# SKIP <reason>`, infrastructure failures
 * `# ERROR <reason>`; everything else is a `# ` diagnostic line. Descriptions never contain '#',
 * which KTAP reserves for directives.
 */
import { keyText } from '../../models/lockstep.js';
import type { DomainResult } from './result.js';
import { NOTHING_LINE, nothingTested, rulesText, shownStatus } from './summary.js';
import type { Verdicts } from './verdicts.js';

const clean = (s: string): string => s.replace(/#/g, '').replace(/\s+/g, ' ').trim();

export const ktapHeader = (plan: number): string[] => ['KTAP version 1', `1..${plan}`];

export const ktapDiag = (text: string, indent = ''): string[] => text.split('\n').map((l) => `${indent}# ${l}`.trimEnd());

/** Totals as kselftest prints them (ksft_print_cnts), over every test case line. */
export interface KtapCounts { pass: number; fail: number; xfail: number; xpass: number; skip: number; error: number }
export const newCounts = (): KtapCounts => ({ pass: 0, fail: 0, xfail: 0, xpass: 0, skip: 0, error: 0 });

export const ktapDomain = (r: DomainResult, n: number, v: Verdicts | undefined, details: ReadonlyMap<unknown, string>, c: KtapCounts): string[] => {
  const claim = `${clean(r.property.claim)} [profile ${clean(r.profile)}]`;
  const shown = shownStatus(r, v);
  if (r.status !== 'ran') {
    const directive = r.status === 'skip' ? `SKIP ${clean(r.detail ?? '')}` : `ERROR ${clean(r.detail ?? '')}`;
    if (r.status === 'skip') c.skip++; else c.error++;
    const ok = r.status === 'skip' ? 'ok' : 'not ok';
    return ['  KTAP version 1', '  1..1', `  ${ok} 1 ${claim} # ${directive}`, `${ok} ${n} ${r.property.domain} # ${directive}`];
  }
  const races = r.unexplained === undefined ? 0 : 1;
  // A part that ran is said in a diagnostic (the domain's verdict covers it); a part skipped here
  // (guest_memfd on a kernel without it) is a SKIP subtest with its reason.
  const ran = (r.parts ?? []).filter((p) => p.status === 'ran');
  const parts = (r.parts ?? []).filter((p) => p.status === 'skip');
  const lines = ['  KTAP version 1', `  1..${r.found.length + races + parts.length + 1}`,
    ...ktapDiag(`${r.sequences} sequences, ${r.opsChecked} ops checked, ${rulesText(r)}${ran.length ? `; ${ran.map((p) => `${p.name} ${p.detail}`).join(', ')}` : ''}`, '  ')];
  if (r.unexplained !== undefined) {
    c.fail++;
    lines.push(...ktapDiag(r.unexplained.report, '  '));
    if (r.unexplained.artifacts) lines.push(...ktapDiag(`report: ${r.unexplained.artifacts}`, '  '));
    lines.push('  not ok 1 concurrent outcomes no interleaving explains');
  }
  r.found.forEach((f, i) => {
    const j = v?.judged.find((x) => x.finding === f);
    const detail = details.get(f);
    if (detail !== undefined) lines.push(...ktapDiag(detail, '  '));
    if (f.artifacts) lines.push(...ktapDiag(`report: ${f.artifacts}`, '  '));
    if (j?.verdict === 'XFAIL') {
      c.xfail++;
      lines.push(`  ok ${i + races + 1} ${keyText(f.key)} # XFAIL ${clean(j.entry?.reason ?? '')}`);
    } else {
      c.fail++;
      lines.push(`  not ok ${i + races + 1} ${keyText(f.key)}`);
    }
  });
  parts.forEach((p, i) => {
    c.skip++;
    lines.push(`  ok ${r.found.length + races + i + 1} ${clean(p.name)} # SKIP ${clean(p.detail)}`);
  });
  c.pass++;
  lines.push(`  ok ${r.found.length + races + parts.length + 1} ${claim}`);
  lines.push(`${shown === 'FAIL' ? 'not ok' : 'ok'} ${n} ${r.property.domain}`);
  return lines;
};

/** The baseline's entries that did not occur (those that did are XFAIL subtests of their domain). */
export const ktapExpectations = (v: Verdicts, n: number, file: string, strict: boolean, c: KtapCounts): string[] => {
  const rest = v.expectations.filter((e) => e.status !== 'XFAIL' && e.status !== 'other release');
  const lines = ['  KTAP version 1', `  1..${Math.max(rest.length, 1)}`, ...ktapDiag(`known deviations from ${file}`, '  ')];
  let failed = false;
  rest.forEach((e, i) => {
    const desc = `${e.entry.rule} on ${e.entry.op}`;
    if (e.status === 'XPASS') {
      c.xpass++;
      failed ||= strict;
      lines.push(`  ${strict ? 'not ok' : 'ok'} ${i + 1} ${desc} # XPASS ${e.hits} verdicts, none failed`);
    } else {
      c.skip++;
      lines.push(`  ok ${i + 1} ${desc} # SKIP ${e.status === 'not judged' ? 'not judged (--rule)' : 'not reached by this run'}`);
    }
  });
  if (rest.length === 0) {
    c.pass++;
    lines.push('  ok 1 every expected deviation occurred');
  }
  lines.push(`${failed ? 'not ok' : 'ok'} ${n} expected deviations`);
  return lines;
};

export const ktapTotals = (results: readonly DomainResult[], c: KtapCounts): string[] => [
  `# totals: pass:${c.pass} fail:${c.fail} xfail:${c.xfail} xpass:${c.xpass} skip:${c.skip} error:${c.error}`,
  ...(nothingTested(results) ? [`# ${NOTHING_LINE}`] : []),
];
