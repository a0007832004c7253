/**
 * `gmemcheck run` arguments, all checked before anything runs: a bad one is exit 2 with one line
 * naming the valid choices; the results directory and the --write-expect file must be writable
 * (a failure found an hour in must have somewhere to go).
 */
import * as path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import type { Profile } from '../../spec/vocab/index.js';
import { ensureWritableDir } from '../../models/report/atomic.js';
import { UsageError } from '../errors.js';
import { list, oneOf, parse, posInt, seedArg } from '../parse.js';
import { profileArg } from '../profile-arg.js';
import { bugsArg } from '../bugs-arg.js';
import { targetFromArgs, type TargetSpec } from '../target-spec.js';
import { DOMAIN_PROPERTIES, domainsForRule, parseDomains, RUN_DOMAINS, type DomainProperty, type RunDomain } from '../domains.js';
import { PARALLEL_PROPERTY } from './parallel-property.js';
import { CATALOGUE } from '../../spec/catalogue/index.js';
import { loadBaseline, type Baseline } from './expect.js';

export const RUN_OPTIONS = {
  target: { type: 'string' }, profile: { type: 'string' }, 'emulator-profile': { type: 'string' }, seed: { type: 'string' },
  runs: { type: 'string' }, time: { type: 'string' }, domain: { type: 'string' }, rule: { type: 'string' },
  'max-failures': { type: 'string' }, 'stop-at-first': { type: 'boolean' },
  expect: { type: 'string' }, 'write-expect': { type: 'string' }, 'strict-expect': { type: 'boolean' },
  format: { type: 'string' }, results: { type: 'string' }, bugs: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

export interface RunPlan {
  readonly format: 'text' | 'ktap';
  readonly runs?: number;
  readonly time?: number;
  readonly properties: readonly DomainProperty[];
  readonly rule?: string;
  readonly bugs: readonly string[];
  readonly target: TargetSpec;
  readonly profile?: Profile;
  readonly emulatorProfile?: Profile;
  readonly seed: number;
  readonly resultsDir: string;
  readonly maxFailures?: number;
  readonly expect?: { readonly file: string; readonly baseline: Baseline };
  readonly writeExpect?: string;
  readonly strictExpect: boolean;
  /** The command line that reruns this run (the seed made explicit). */
  readonly rerun: string;
}

const selectDomains = (domains: string | undefined, rule: string | undefined): Set<RunDomain> => {
  let sel = new Set<RunDomain>(RUN_DOMAINS);
  if (domains !== undefined && list(domains).length === 0) throw new UsageError(`--domain needs at least one domain (domains: ${RUN_DOMAINS.join(', ')})`);
  if (domains !== undefined) sel = new Set(parseDomains(list(domains)));
  if (rule !== undefined) {
    const reach = new Set(domainsForRule(rule));
    sel = new Set([...sel].filter((d) => reach.has(d)));
    if (sel.size === 0) throw new UsageError(`no selected domain reaches rule ${rule} (it is exercised by: ${[...reach].join(', ')})`);
  }
  return sel;
};

const writableFile = (flag: string, file: string): string => {
  if (file === '') throw new UsageError(`--${flag} needs a file name`);
  const abs = path.resolve(file);
  if (existsSync(abs) && !statSync(abs).isFile()) throw new UsageError(`--${flag} ${file}: exists and is not a regular file`);
  const why = ensureWritableDir(path.dirname(abs));
  if (why !== undefined) throw new UsageError(`--${flag} ${file}: ${why}`);
  return abs;
};

/** The arguments that reproduce this run, with the seed explicit (the rerun hint). */
const rerunLine = (args: readonly string[], seed: number): string => {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--seed') { i++; continue; }
    if (a.startsWith('--seed=')) continue;
    out.push(/^[\w./:=,+@%-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  }
  return ['gmemcheck run', ...out, '--seed', String(seed)].join(' ');
};

export const parseRunArgs = (args: readonly string[], env: NodeJS.ProcessEnv, now: () => number = Date.now): RunPlan => {
  const { values: v } = parse(args, RUN_OPTIONS, 0, 'run');
  const format = oneOf('format', v.format, ['text', 'ktap'] as const, 'text');
  const runs = posInt('runs', v.runs);
  const time = posInt('time', v.time);
  if (runs !== undefined && time !== undefined) throw new UsageError('--runs and --time exclude each other');
  if (v.rule !== undefined && !CATALOGUE.has(v.rule)) throw new UsageError(`unknown rule '${v.rule}' (${CATALOGUE.size} rule ids; 'gmemcheck rules' lists them)`);
  const selected = selectDomains(v.domain, v.rule);
  const maxFailures = posInt('max-failures', v['max-failures']);
  if (maxFailures !== undefined && v['stop-at-first']) throw new UsageError('--max-failures and --stop-at-first exclude each other (--stop-at-first is --max-failures 1)');
  if (v['strict-expect'] && v.expect === undefined) throw new UsageError('--strict-expect makes XPASS fail the run; it needs --expect FILE');
  if (v.results === '') throw new UsageError('--results needs a directory (default gmemcheck-results)');
  if (v.expect === '') throw new UsageError('--expect needs a baseline file (gmemcheck-expect/1 JSON)');
  const resultsArg = v.results ?? 'gmemcheck-results';
  const resultsDir = path.resolve(resultsArg);
  const unwritable = ensureWritableDir(resultsDir);
  if (unwritable !== undefined) throw new UsageError(`--results ${resultsArg}: ${unwritable}`);
  const seed = seedArg(v.seed) ?? now() % 0x7fffffff;
  const emulatorProfile = profileArg(v['emulator-profile']);
  return {
    format, properties: [...DOMAIN_PROPERTIES, PARALLEL_PROPERTY].filter((p) => selected.has(p.domain)),
    ...(runs !== undefined ? { runs } : {}), ...(time !== undefined ? { time } : {}),
    ...(v.rule !== undefined ? { rule: v.rule } : {}),
    bugs: bugsArg(v.bugs), target: targetFromArgs(v.target, env),
    ...(v.profile !== undefined ? { profile: profileArg(v.profile)! } : {}),
    ...(emulatorProfile !== undefined ? { emulatorProfile } : {}),
    seed, resultsDir,
    ...(maxFailures !== undefined ? { maxFailures } : v['stop-at-first'] ? { maxFailures: 1 } : {}),
    ...(v.expect !== undefined ? { expect: { file: v.expect, baseline: loadBaseline(v.expect) } } : {}),
    ...(v['write-expect'] !== undefined ? { writeExpect: writableFile('write-expect', v['write-expect']) } : {}),
    strictExpect: v['strict-expect'] === true,
    rerun: rerunLine(args, seed),
  };
};
