/**
 * The text output of `gmemcheck run`: one line per domain as it ends, and the closing summary:
 * per domain, every distinct failure (rule and op kind) with its verdict, how often it was seen
 * and where its report is, the known deviations of --expect, totals, and rule coverage.
 */
import { CATALOGUE } from '../../spec/catalogue/index.js';
import type { Finding, Findings } from '../../models/findings.js';
import { keyText } from '../../models/lockstep.js';
import type { DomainPart, DomainResult } from './result.js';
import type { Verdicts } from './verdicts.js';

/** A domain's status once its findings are judged: FAIL if it found a failure that is not expected. */
export type Shown = 'PASS' | 'FAIL' | 'XFAIL' | 'SKIP' | 'ERROR';

export const shownStatus = (r: DomainResult, v?: Verdicts): Shown => {
  if (r.status === 'skip') return 'SKIP';
  if (r.status === 'error') return 'ERROR';
  if (r.unexplained !== undefined) return 'FAIL';
  const verdicts = r.found.map((f) => v?.judged.find((j) => j.finding === f)?.verdict ?? 'FAIL');
  return verdicts.includes('FAIL') ? 'FAIL' : verdicts.length > 0 ? 'XFAIL' : 'PASS';
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** A property broke (infrastructure error): its rule hits are unknown, not zero. */
export const rulesText = (r: DomainResult): string => (r.status === 'error' ? 'rules not counted' : plural(r.ruleHits.size, 'rule'));

/** A part in one line: what ran, or SKIP and the first clause of its reason. */
export const partText = (p: DomainPart): string =>
  p.status === 'ran' ? `${p.name} ${p.detail}` : `${p.name} SKIP (${p.detail.split(/[:;] /)[0]!.trim()})`;

export const resultLine = (r: DomainResult, v?: Verdicts): string => {
  const s = shownStatus(r, v);
  const what = r.status === 'skip' ? `skipped: ${r.detail}`
    : `${plural(r.sequences, 'sequence')}${r.shrinkSequences ? ` (+${r.shrinkSequences} shrinking)` : ''}, ${r.opsChecked} ops checked, ${rulesText(r)}, ${(r.ms / 1000).toFixed(1)}s` +
      (r.found.length ? `; new: ${r.found.map((f) => keyText(f.key)).join(', ')}` : '') +
      (r.parts?.length ? `; ${r.parts.map(partText).join(', ')}` : '') +
      (r.unexplained !== undefined ? '; not linearizable' : '') +
      (r.stopped === 'interrupted' ? '; interrupted' : r.stopped === 'max-failures' ? '; stopped: enough failures' : '');
  return `${s.padEnd(5)} ${r.property.domain.padEnd(12)} ${what}`;
};

/** The 6.18 form of a rule, when the catalogue has one (POL-1 → POL-1′): what a kernel failing it does instead. */
const counterpart = (rule: string): string => (CATALOGUE.has(`${rule}′`) ? ` (6.18: ${rule}′)` : '');

export const findingLines = (f: Finding, verdict: 'FAIL' | 'XFAIL', lost?: string, why?: string): string[] => {
  const steps = f.failure.index + 1;
  const where = [...f.domains].join(', ');
  return [
    `  ${verdict.padEnd(5)}  ${keyText(f.key)}${counterpart(f.key.rule)}: ${plural(steps, 'step')}${f.shrunk ? '' : ' (not shrunk: interrupted)'}, seen in ${plural(f.sequences, 'sequence')} (${where})`,
    ...(why !== undefined ? [`         expected: ${why}`] : []),
    `         ${f.artifacts ?? (lost !== undefined ? `report on stderr (artifacts not written: ${lost})` : 'no report')}`,
  ];
};

export const NOTHING_LINE = 'nothing tested: every selected domain was skipped (exit 4)';
export const nothingTested = (results: readonly DomainResult[]): boolean => results.every((r) => r.status === 'skip');

export interface SummaryInput {
  readonly results: readonly DomainResult[];
  readonly findings: Findings;
  readonly verdicts: Verdicts;
  readonly lost: ReadonlyMap<Finding, string>;
  readonly expectFile?: string;
  readonly strict: boolean;
  readonly rule?: string;
  readonly rerun: string;
}

export const summaryLines = (s: SummaryInput): string[] => {
  const { results, verdicts: v } = s;
  const count = (x: Shown) => results.filter((r) => shownStatus(r, v) === x).length;
  const lines = ['', '== summary ==', ...results.map((r) => resultLine(r, v))];
  for (const r of results) if (r.status === 'error') lines.push(`  ${r.property.domain}: infrastructure error: ${r.detail}`);
  const fails = v.judged.filter((j) => j.verdict === 'FAIL').length;
  const xfails = v.judged.length - fails;
  const races = results.filter((r) => r.unexplained !== undefined);
  if (v.judged.length > 0) {
    lines.push(`failures: ${v.judged.length} distinct (by rule and op kind): ${fails} FAIL, ${xfails} XFAIL`);
    for (const j of v.judged) lines.push(...findingLines(j.finding, j.verdict, s.lost.get(j.finding), j.entry?.reason));
  } else if (races.length === 0) lines.push('failures: none');
  for (const r of races) lines.push(`  FAIL   ${r.property.domain}: concurrent outcomes no interleaving explains`, `         ${r.unexplained!.artifacts ?? 'report above (artifacts not written)'}`);
  if (s.findings.unjudged.length > 0) {
    lines.push(`not judged (--rule ${s.rule}): ${s.findings.unjudged.map((u) => `${keyText(u.key)} in ${plural(u.sequences, 'sequence')}`).join('; ')}`);
  }
  if (s.expectFile !== undefined) {
    const n = (st: string) => v.expectations.filter((e) => e.status === st).length;
    lines.push(`expected deviations (${s.expectFile}): ${n('XFAIL')} XFAIL, ${n('XPASS')} XPASS${s.strict ? ' (fails the run: --strict-expect)' : ''}, ${n('not reached')} not reached` +
      `${n('not judged') ? `, ${n('not judged')} not judged` : ''}${n('other release') ? `, ${n('other release')} for other releases` : ''}`);
    for (const e of v.expectations) {
      const k = `${e.entry.rule} on ${e.entry.op}`;
      if (e.status === 'XPASS') lines.push(`  XPASS  ${k}: ${plural(e.hits, 'verdict')} of ${e.entry.rule} on ${e.entry.op}, none failed (gone? --write-expect drops it)`);
      if (e.status === 'not reached') lines.push(`  SKIP   ${k}: not reached (no verdict of ${e.entry.rule} on ${e.entry.op} in this run)`);
    }
  }
  const cut = results.reduce((a, r) => a + r.cut, 0);
  lines.push(`passed ${count('PASS')}, failed ${count('FAIL')}, xfail ${count('XFAIL')}, skipped ${count('SKIP')}, errors ${count('ERROR')}; ` +
    `${results.reduce((a, r) => a + r.opsChecked, 0)} ops checked against the spec` +
    `${cut ? `; ${plural(cut, 'sequence')} ended early at an already-reported or unjudged failure` : ''}`);
  lines.push(`rerun: ${s.rerun}  (the same seed reruns the same sequences; a failure's replay token reruns just that case)`);
  return lines;
};
