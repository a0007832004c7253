/**
 * `gmemcheck report`: one self-contained HTML file with the rule × target/profile matrix and a
 * picture of every failure. Columns are either computed here (each rule domain's property per
 * target and profile, with modest run counts) or read from a directory of saved column results.
 *
 *   gmemcheck report --target emulator --profiles linux-6.18,upstream --out report.html
 *   gmemcheck report --results gmemcheck-results --out report.html
 *
 * Exit: 0 written and nothing failed, 1 written with failures, 2 bad arguments, 3 a target broke.
 */
import type { Profile } from '../spec/vocab/index.js';
import { PROPERTY_DOMAINS, type PropertyDomain } from '../spec/vocab/index.js';
import { setupTarget } from './targets.js';
import { reportHtml } from '../models/html/page.js';
import { BadResultsError, loadColumnResults, type ColumnResult } from '../models/html/results.js';
import { runColumn } from '../models/html/run-column.js';
import { EXIT, InfraError, UsageError, type ExitCode } from './errors.js';
import { processIo, type Io } from './io.js';
import { list, parse, posInt, seedArg } from './parse.js';
import { profileArg } from './profile-arg.js';
import { bugsArg } from './bugs-arg.js';
import { REPORT_USAGE } from './usage.js';
import { ensureWritableDir, makeDirs, writeFileAtomic } from '../models/report/atomic.js';
import * as path from 'node:path';
import { existsSync, statSync } from 'node:fs';

const OPTIONS = {
  results: { type: 'string' }, out: { type: 'string' }, target: { type: 'string' }, profiles: { type: 'string' },
  domain: { type: 'string' }, runs: { type: 'string' }, 'max-length': { type: 'string' }, seed: { type: 'string' },
  bugs: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** A remote target is drawn from what `run --target tcp://… --results DIR` saved: `report --results DIR`. */
type TargetKind = 'emulator' | 'native';
const TARGET_KINDS: readonly TargetKind[] = ['emulator', 'native'];
const DEFAULT_PROFILES: Readonly<Record<TargetKind, readonly string[]>> = { emulator: ['linux-6.18', 'upstream'], native: ['probed'] };

const domainsArg = (value: string | undefined): PropertyDomain[] => {
  const names = list(value);
  if (names.length === 0) return PROPERTY_DOMAINS;
  const bad = names.find((n) => !(PROPERTY_DOMAINS as readonly string[]).includes(n));
  if (bad) throw new UsageError(`--domain must name ${PROPERTY_DOMAINS.join(', ')} (got '${bad}')`);
  return names as PropertyDomain[];
};

const targetsArg = (value: string | undefined): TargetKind[] => {
  const names = list(value ?? 'emulator');
  const bad = names.find((n) => !(TARGET_KINDS as readonly string[]).includes(n));
  if (bad || names.length === 0) throw new UsageError(`--target must name ${TARGET_KINDS.join(', ')} (got '${bad ?? value}')`);
  return names as TargetKind[];
};

/** 'probed' (native only) keeps the profile derived from the probe; anything else is forced. */
const profilesFor = (kind: TargetKind, value: string | undefined): (Profile | undefined)[] =>
  (value === undefined ? DEFAULT_PROFILES[kind] : list(value)).map((p) => {
    if (p === 'probed') {
      if (kind !== 'native') throw new UsageError("profile 'probed' exists only for --target native");
      return undefined;
    }
    return profileArg(p);
  });

interface ColumnPlan {
  readonly kind: TargetKind;
  readonly profile?: Profile;
}

const computeColumns = async (plans: readonly ColumnPlan[], v: Record<string, string | boolean | undefined>, io: Io): Promise<ColumnResult[]> => {
  const bugs = bugsArg(v['bugs'] as string | undefined);
  const run = {
    domains: domainsArg(v['domain'] as string | undefined),
    numRuns: posInt('runs', v['runs'] as string | undefined) ?? 10,
    maxLength: posInt('max-length', v['max-length'] as string | undefined) ?? 20,
    seed: seedArg(v['seed'] as string | undefined) ?? 1,
  };
  const columns: ColumnResult[] = [];
  for (const p of plans) {
    const r = await setupTarget(p.kind, { ...(p.profile ? { profile: p.profile } : {}), bugs: p.kind === 'emulator' ? bugs : [] });
    if (!r.ok) throw new InfraError(`cannot set up the ${p.kind} target: ${r.reason}`);
    const label = `${p.kind}:${r.setup.profile.name}${p.kind === 'emulator' && bugs.length ? ` [bugs ${bugs.join(',')}]` : ''}`;
    io.err(`  … running ${run.domains.length} properties on ${label}`);
    columns.push(await runColumn(label, r.setup, run));
  }
  return columns;
};

export const reportCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const { values: v } = parse(args, OPTIONS, 0, 'report');
  if (v.help) {
    io.out(REPORT_USAGE);
    return EXIT.PASS;
  }
  const out = v.out ?? 'report.html';
  // Before any column runs: a report computed for minutes must have somewhere to go.
  if (out === '') throw new UsageError('--out needs a file name');
  if (existsSync(out) && !statSync(out).isFile()) throw new UsageError(`--out ${out}: exists and is not a regular file`);
  const unwritable = ensureWritableDir(path.dirname(path.resolve(out)));
  if (unwritable !== undefined) throw new UsageError(`--out ${out}: ${unwritable}`);
  let columns: ColumnResult[];
  let source: string;
  if (v.results !== undefined) {
    const running = ['target', 'profiles', 'domain', 'runs', 'max-length', 'seed', 'bugs'].filter((k) => v[k as keyof typeof v] !== undefined);
    if (running.length) throw new UsageError(`--results draws saved results; --${running[0]} applies only when the report runs the properties`);
    try {
      columns = loadColumnResults(v.results);
    } catch (e) {
      if (e instanceof BadResultsError) throw new UsageError(e.message);
      throw e;
    }
    source = `results from ${v.results}`;
  } else {
    const targets = targetsArg(v.target);
    if (bugsArg(v.bugs).length && targets.includes('native')) throw new UsageError('--bugs switches on emulator bugs; it cannot be used with --target native');
    const plans = targets.flatMap((kind) => profilesFor(kind, v.profiles).map((profile): ColumnPlan => ({ kind, ...(profile ? { profile } : {}) })));
    columns = await computeColumns(plans, v, io);
    source = `ran here: ${v.runs ?? 10} sequences per property, seed ${v.seed ?? 1}`;
  }
  makeDirs(path.dirname(path.resolve(out)));
  writeFileAtomic(out, reportHtml(columns, { generated: new Date().toISOString(), source }));
  const failed = columns.flatMap((c) => c.domains.filter((d) => d.status === 'fail').map((d) => `${c.label} ${d.domain}`));
  io.out(`wrote ${out}: ${columns.length} column(s), ${failed.length} failing propert${failed.length === 1 ? 'y' : 'ies'}${failed.length ? ` (${failed.join('; ')})` : ''}`);
  return failed.length ? EXIT.FAIL : EXIT.PASS;
};

/** Entry point the CLI wires as `gmemcheck report`: one-line errors, exit 2 for bad arguments. */
export const reportMain = async (argv: string[], io: Io = processIo()): Promise<number> => {
  try {
    return await reportCommand(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`gmemcheck report: error: ${e.message}`);
      return EXIT.USAGE;
    }
    io.err(`gmemcheck report: infrastructure error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return EXIT.INFRA;
  }
};
