/**
 * A guest kernel report (oops, BUG, WARN, panic, ...) during `gmemcheck vm` is a finding. Its
 * folder, next to the run's other results, holds the console log, the sequence that was in flight
 * (the ops of the current case, up to and including the one being issued) and how to replay it.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatOp, pack, stringify } from '../../spec/vocab/index.js';
import { TOKEN_PREFIX } from '../../models/report/token.js';
import { firstReport } from './console.js';
import type { FlightRecord } from './flight.js';

export interface FindingInput {
  readonly resultsDir: string;
  readonly consoleFile: string;
  readonly title: string;
  readonly flight: FlightRecord;
  readonly release: string;
  /** How the VM was started, to put in the replay command (e.g. "--kernel debian"). */
  readonly vmArgs: readonly string[];
  readonly argv: readonly string[];
}

/** A short kind for the folder name: panic, WARN, BUG, Oops, gpf, lockup, ... */
export const slug = (title: string): string => {
  const kinds: [RegExp, string][] = [
    [/^Kernel panic/, 'panic'], [/^WARNING/, 'WARN'], [/^(kernel )?BUG|^BUG/, 'BUG'], [/^Oops/, 'Oops'],
    [/^general protection/, 'gpf'], [/soft lockup|blocked for more than|stall/, 'lockup'], [/^(UBSAN|KASAN|KFENCE|KMSAN)/, 'sanitizer'],
  ];
  return kinds.find(([re]) => re.test(title))?.[1] ?? (title.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 24) || 'report');
};

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export const writeFinding = (f: FindingInput, now = new Date()): string => {
  const dir = path.join(f.resultsDir, `${stamp(now)}-guest-kernel-${slug(f.title)}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  copyFileSync(f.consoleFile, path.join(dir, 'console.log'));
  const log = readFileSync(f.consoleFile, 'utf8');
  const rep = firstReport(log);
  const ops = f.flight.ops;
  const token = ops.length > 0 && f.flight.profile ? TOKEN_PREFIX + pack({ profile: f.flight.profile, ops }) : undefined;
  writeFileSync(path.join(dir, 'inflight.json'), `${stringify({ profile: f.flight.profile ?? null, ops, casesBefore: f.flight.cases - 1, opsBefore: f.flight.opsTotal - ops.length }, 2)}\n`);
  const vm = `gmemcheck vm ${f.vmArgs.join(' ')}`.trim();
  const lines = [
    `# gmemcheck vm: the guest kernel reported a problem`,
    '',
    `**${f.title}**`,
    '',
    `- guest kernel: \`${f.release}\``,
    `- command: \`${vm} -- ${f.argv.join(' ')}\``,
    `- console log: \`console.log\` (this folder); the report:`,
    '',
    '```',
    rep?.excerpt ?? f.title,
    '```',
    '',
    '## Sequence in flight',
    '',
    ops.length === 0
      ? 'No op had been issued in the current sequence (the report came during setup or between sequences).'
      : `The last op is the one being issued when the report appeared (${ops.length} ops of the current sequence; ${f.flight.opsTotal - ops.length} ops in ${f.flight.cases - 1} earlier sequences passed)${f.flight.truncated ? '; the sequence was longer than the recorder holds, later ops are missing' : ''}.`,
    '',
    ...ops.map((op, i) => `${String(i + 1).padStart(4)}. \`${formatOp(op)}\``),
    '',
    '## Replay',
    '',
    ...(token
      ? ['```', `${vm} -- replay ${token}`, '```', '', 'The token holds the ops above (`inflight.json` has them as JSON). A report that needs earlier sequences to build up state may not come back from one sequence: rerun the whole command with the same `--seed`.']
      : ['Rerun the whole command with the same `--seed`.']),
    '',
  ];
  writeFileSync(path.join(dir, 'report.md'), lines.join('\n'));
  return dir;
};
