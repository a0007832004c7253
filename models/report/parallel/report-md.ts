/**
 * report.md of a parallel counterexample: the prefix, the branches side by side (one column each,
 * with what every op observed and when), and why no interleaving explains the outcomes — the
 * longest order the linearizability search could explain and, for every branch, the point that
 * could not come next there: what the spec allowed against what the op got (or which op real time
 * put first). Then the rules involved, the state after the prefix and how to replay.
 */
import { formatOp, formatOutcome } from '../../../spec/vocab/render-text.js';
import { CATALOGUE, citation } from '../../../spec/catalogue/index.js';
import type { Placed } from '../../parallel/linearize.js';
import type { ParallelTrace } from './trace.js';

export interface ParallelLinks {
  readonly token: string;
  readonly tracePath: string;
  readonly reproPath: string;
  /** The --target that reaches the target it was found on (ReplayContext.target). */
  readonly target?: string;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const when = (start?: number, end?: number, unit = 'ns'): string => (start === undefined || end === undefined ? '' : ` [${start}–${end} ${unit}]`);

/** What happened at a point of a split op (internal points by what the search chose there). */
const POINT_TEXT: Readonly<Record<string, string>> = {
  'faulted in': 'its fault maps the page', allocated: 'its fault puts the folio into the page cache', mapped: 'its fault maps that folio',
  fault: 'raises the userfault', resolve: "the monitor's resolve", unregistered: 'the monitor unregisters the page',
  'punched again': "the punch's later pass removes the page again", 'unmapped first': 'the punch unmaps the range before removing anything', access: 'takes effect',
  'faulted again, resolved': 'its retried access faults again and the monitor answers again',
  'faulted again, resolve failed, page unregistered': 'its retried access faults again; the answer fails and the page is unregistered',
};

const placedText = (t: ParallelTrace, [b, i, point, happened]: Placed): string => {
  const op = t.case.branches[b]?.[i];
  const what = happened ?? point;
  return `branch ${b + 1} op ${i + 1} \`${op ? formatOp(op) : '?'}\`${what === undefined || what === 'access' ? '' : ` — ${POINT_TEXT[what] ?? what}`}`;
};

/** Internal points where nothing happened are left out of the explained order. */
const shown = (p: Placed): boolean => p[3] !== 'not here';

/** The replay flags for the target that found it: the emulator replays the schedule; a kernel needs runs. */
const on = (target: string | undefined): string => (target === undefined || target === 'emulator' ? '' : ` --target ${target} --runs 1000`);

export const parallelReportMarkdown = (t: ParallelTrace, links: ParallelLinks): string => {
  const n = t.case.branches.length;
  const unit = t.schedule !== undefined ? 'steps' : 'ns';
  const rows = Math.max(...t.case.branches.map((b) => b.length));
  const rules = [...new Set(t.blocked.flatMap((b) => b.rules ?? []))].filter((r) => CATALOGUE.has(r));
  const p = t.profile;
  return [
    `# gmemcheck: no interleaving explains what ${n} concurrent branch${n === 1 ? '' : 'es'} observed`,
    '',
    t.phase === 'shrunk' ? 'This is the **shrunk** (minimal) counterexample.' : 'This is the **first** failing case found; a shrunk one replaces it in `shrunk/` when shrinking ends.',
    t.undecided ? `\n**Undecided**: the linearizability search ran out of its budget after ${t.explored} nodes; it found no explaining order but did not try them all (never counted as a pass).` : '',
    '',
    `After a sequential prefix, the branches ran at the same time${t.schedule !== undefined ? ' (the emulator\'s scheduler interleaved them; the schedule below replays it exactly)' : ` (threads released together; execution ${t.execution} of the case showed it)`}.`,
    'Every op is judged by the spec in the state the ops before it leave; an op that ended before another began comes first. No order of the ops does that for all of them.',
    '',
    '## Environment',
    `- kernel release: \`${t.release}\``,
    `- target: ${t.target}${t.targetSeed !== undefined ? ` (target seed ${t.targetSeed})` : ''}${t.bugs.length ? `, emulator bugs on: ${t.bugs.join(', ')}` : ''}`,
    `- profile: \`${p.name}\` — ${p.describes}`,
    '',
    '## Prefix (sequential)',
    '',
    '| # | op | observed |',
    '|---|----|----------|',
    ...t.case.prefix.map((op, i) => `| ${i + 1} | \`${cell(formatOp(op))}\` | ${cell(formatOutcome(t.prefix[i]!.observed))} |`),
    '',
    '## Branches (concurrent)',
    '',
    `| | ${t.case.branches.map((_b, k) => `branch ${k + 1}`).join(' | ')} |`,
    `|---|${t.case.branches.map(() => '---').join('|')}|`,
    ...Array.from({ length: rows }, (_x, i) => `| ${i + 1} | ${t.case.branches.map((b, k) => {
      const op = b[i];
      const s = t.branches[k]?.[i];
      return op === undefined || s === undefined ? '' : `\`${cell(formatOp(op))}\` → **${cell(formatOutcome(s.observed))}**${when(s.start, s.end, unit)}`;
    }).join(' | ')} |`),
    '',
    '## Why no interleaving explains them',
    '',
    `The search tried ${t.explored} partial orders (memoised on the state reached). The longest order every outcome allowed:`,
    '',
    ...(t.deepest.length === 0 ? ['(none: no op can come first)'] : t.deepest.filter(shown).map((pl, k) => `${k + 1}. ${placedText(t, pl)}`)),
    '',
    'Then no branch could go on:',
    '',
    ...t.blocked.map((b) => {
      const head = `- ${placedText(t, [b.branch, b.index, b.point])}`;
      if (b.after !== undefined) return `${head}: cannot come yet — ${placedText(t, [b.after[0], b.after[1]])} ended before it began`;
      const got = b.observed === undefined ? '(internal point)' : `**${formatOutcome(b.observed)}**`;
      const allowed = (b.allowed ?? []).map(formatOutcome);
      const rules = [...new Set(b.rules ?? [])];
      return `${head}: got ${got}; the spec allowed there ${allowed.length === 0 ? '**nothing** (this point cannot happen in that state)' : allowed.map((a) => `\`${a}\``).join(' or ')}${rules.length ? ` (${rules.join(', ')})` : ''}`;
    }),
    ...(rules.length === 0 ? [] : ['', '## Rules', ...rules.flatMap((id) => {
      const r = CATALOGUE.get(id)!;
      return [`- **${id}** — ${r.statement}`, `  - citation: ${citation(r)}`];
    })]),
    '',
    '## Abstract state after the prefix',
    '',
    '```',
    ...t.stateAfterPrefix.split('\n'),
    '```',
    ...(t.schedule === undefined ? [] : ['', '## Emulator schedule', '', `The task run at each scheduler step (1–${n}: branches, ${n + 1}: the userfault monitor): \`${t.schedule.map((x) => x + 1).join('')}\``]),
    '',
    '## Replay',
    '',
    '```',
    `gmemcheck replay ${links.token}${on(links.target)}`,
    `gmemcheck replay ${links.tracePath}${on(links.target)}`,
    `gcc -Wall -Werror -pthread -o repro ${links.reproPath} && ./repro   # runs the case until the outcomes come back or a bound; exit 1 reproduced, 0 not, 4 skip`,
    '```',
    '',
  ].join('\n');
};
