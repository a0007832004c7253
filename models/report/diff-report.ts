/**
 * Text output of `diff`: a table rule → A verdict vs B verdict, then per rule the shortest
 * distinguishing sequence (replayable op lines) with both allowed sets at the differing step.
 */
import { formatAllowed, formatOp, formatOutcome } from '../../spec/vocab/render-text.js';
import { ruleLine } from './message.js';
import type { SideStep } from '../diff/dual.js';
import type { DiffReport, RuleDiff } from '../diff/diff.js';

const clip = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/** One table cell: did the side conform, and what its spec allowed. */
export const verdictCell = (s: SideStep): string =>
  s.pass ? `pass: ${formatAllowed(s.allowed)}` : `FAIL: got ${formatOutcome(s.observed)}, wants ${formatAllowed(s.allowed)}`;

const table = (r: DiffReport, width: number): string[] => {
  const rows = r.diffs.map((d) => [d.key, clip(verdictCell(d.difference.a), width), clip(verdictCell(d.difference.b), width), `${d.difference.index + 1}`]);
  const head = ['rule', `A: ${r.a}`, `B: ${r.b}`, 'steps'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)];
};

const sideLines = (tag: 'A' | 'B', s: SideStep): string[] => [
  `       ${tag} ${s.pass ? 'pass' : 'FAIL'}  rule ${s.rules.join(', ')}`,
  `         allows:   ${formatAllowed(s.allowed)}`,
  `         observed: ${formatOutcome(s.observed)}`,
];

export const formatRuleDiff = (d: RuleDiff, shrunk = true): string[] => {
  const x = d.difference;
  const rules = [...new Set([x.a.rules[0], x.b.rules[0]].filter((r): r is string => r !== undefined))];
  const what = [x.allowedDiffer && 'allowed sets differ', x.verdictDiffer && 'verdicts differ'].filter(Boolean).join(', ');
  return [
    `── ${d.key}: ${what} (seen in ${d.found} case${d.found === 1 ? '' : 's'}); ${shrunk ? 'shortest sequence' : 'sequence as given'}, ${x.index + 1} step(s):`,
    ...rules.map((id) => `   ${ruleLine(id)}`),
    ...x.history.map((h, i) =>
      i < x.index ? `   ${String(i + 1).padStart(3)}. ${formatOp(h.op)} → ${formatOutcome(h.a)}` : `  >${String(i + 1).padStart(3)}. ${formatOp(h.op)}`),
    ...sideLines('A', x.a),
    ...sideLines('B', x.b),
  ];
};

const STOP_TEXT: Readonly<Record<string, string>> = {
  'a-failed': 'A left its spec', 'b-failed': 'B left its spec', 'both-failed': 'both left their specs', diverged: 'both conformed with different outcomes',
};

/** Cases that ended before their last op, by reason: a side failing its own spec hides what follows. */
const early = (r: DiffReport): string =>
  [...r.stops].filter(([k]) => k !== 'end').map(([k, n]) => `${STOP_TEXT[k]} in ${n}`).join(', ');

const bothDecided = (r: DiffReport): number => [...r.stats.a.ruleHits.keys()].filter((k) => r.stats.b.ruleHits.has(k)).length;

export const formatDiffReport = (r: DiffReport, o: { readonly cellWidth?: number } = {}): string => {
  const head = [
    `gmemcheck diff  A = ${r.a}  B = ${r.b}${r.sharedTarget ? '  (one kernel, judged under both profiles)' : ''}`,
    `  ${r.shrunk ? `${r.sequences} generated sequences` : 'the given sequence'}, ${r.compared} steps compared, seed ${r.seed}; `
      + `${bothDecided(r)} rules decided verdicts on both sides`,
    ...(early(r) ? [`  ended early: ${early(r)}`] : []),
  ];
  if (r.diffs.length === 0) return [...head, '', 'no rule differs between A and B on these sequences'].join('\n');
  return [
    ...head,
    `  ${r.diffs.length} rule(s) differ:`,
    '',
    ...table(r, o.cellWidth ?? 48),
    '',
    ...r.diffs.flatMap((d) => [...formatRuleDiff(d, r.shrunk), '']),
  ].join('\n').trimEnd();
};
