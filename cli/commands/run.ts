/**
 * `gmemcheck run`: the main job. Chooses a target (printing which and why), runs each selected
 * domain property with checkConformance, writes failure artifacts as failures are found, and
 * closes with a per-domain summary and rule coverage (text) or KTAP. Exit 0 all pass, 1 a
 * conformance failure, 3 an infrastructure error and no failure, 4 nothing tested (every domain
 * skipped).
 */
import * as path from 'node:path';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { list, oneOf, parse, posInt, seedArg } from '../parse.js';
import { openTarget } from '../open-target.js';
import { profileArg } from '../profile-arg.js';
import { TARGET_FLAGS } from '../target-choice.js';
import { DOMAIN_PROPERTIES, domainsForRule, parseDomains, type RunDomain } from '../domains.js';
import type { DomainResult } from '../run/result.js';
import { resultLine, summaryLines } from '../run/summary.js';
import { ktapDiag, ktapDomain, ktapHeader, ktapTotals } from '../run/ktap.js';
import { nothingTested } from '../run/summary.js';
import { ensureWritableDir } from '../../models/report/atomic.js';
import { coverage, coverageLines } from '../run/coverage.js';

const OPTIONS = {
  target: { type: 'string' }, profile: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' },
  time: { type: 'string' }, domain: { type: 'string' }, rule: { type: 'string' }, format: { type: 'string' },
  results: { type: 'string' }, bugs: { type: 'string' }, agent: { type: 'string' },
} as const;

const selectDomains = (domains: string | undefined, rule: string | undefined): Set<RunDomain> => {
  let sel = new Set<RunDomain>(DOMAIN_PROPERTIES.map((p) => p.domain));
  if (domains !== undefined) sel = new Set(parseDomains(list(domains)));
  if (rule !== undefined) {
    const reach = new Set(domainsForRule(rule));
    sel = new Set([...sel].filter((d) => reach.has(d)));
    if (sel.size === 0) throw new UsageError(`no selected domain reaches rule ${rule} (it is exercised by: ${[...reach].join(', ')})`);
  }
  return sel;
};

export const runCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const { values: v } = parse(args, OPTIONS, 0);
  const format = oneOf('format', v.format, ['text', 'ktap'] as const, 'text');
  const runs = posInt('runs', v.runs);
  const time = posInt('time', v.time);
  if (runs !== undefined && time !== undefined) throw new UsageError('--runs and --time exclude each other');
  const selected = selectDomains(v.domain, v.rule);
  const props = DOMAIN_PROPERTIES.filter((p) => selected.has(p.domain));
  const bugs = list(v.bugs);
  const targetFlag = oneOf('target', v.target, TARGET_FLAGS, 'auto');
  const profile = profileArg(v.profile);
  const seed = seedArg(v.seed) ?? Date.now() % 0x7fffffff;
  const resultsDir = path.resolve(v.results ?? 'gmemcheck-results');
  // Before any work: a failure found an hour in must have somewhere to go.
  const unwritable = ensureWritableDir(resultsDir);
  if (unwritable !== undefined) throw new UsageError(`--results ${v.results ?? 'gmemcheck-results'}: ${unwritable}`);
  const ktap = format === 'ktap';
  // KTAP output starts with its version line; everything we say before results is a diagnostic.
  const note = ktap ? (l: string) => io.out(`# ${l}`) : io.out;
  if (ktap) ktapHeader(props.length).forEach((l) => io.out(l));

  const { setup } = await openTarget({ target: targetFlag, bugs, ...(profile ? { profile } : {}), ...(v.agent ? { agent: v.agent } : {}) }, io, note);
  note(`kernel ${setup.probe.release}; profile ${setup.profile.name}${setup.undecided.length ? ` (undecided, 6.18 answer kept: ${setup.undecided.join('; ')})` : ''}`);
  note(`seed ${seed} (rerun with --seed ${seed}); ${time ? `${time}s budget` : runs ? `${runs} runs per domain` : 'default runs per domain'}; artifacts under ${resultsDir}`);

  // The spec engine loads only now: argument errors above never depend on it.
  const { runDomainProperty } = await import('../run/domain-run.js');
  const budgetMs = time === undefined ? undefined : (time * 1000) / props.filter((p) => !p.requires.some((k) => setup.unsupported[k])).length;
  const results: DomainResult[] = [];
  for (const p of props) {
    const index = DOMAIN_PROPERTIES.indexOf(p);
    const r = await runDomainProperty(p, setup, {
      ...(runs !== undefined ? { runs } : {}), ...(budgetMs !== undefined ? { timeMs: budgetMs } : {}),
      seed: (seed + index * 7919) | 0, resultsDir, bugs, io, note, tty: io.tty && !ktap,
    });
    results.push(r);
    if (ktap) ktapDomain(r, results.length).forEach((l) => io.out(l));
    else {
      io.out(resultLine(r));
      if (r.status === 'fail' && r.detail) io.out(r.detail);
    }
  }
  if (ktap) {
    coverageLines(coverage(results)).forEach((l) => ktapDiag(l).forEach((d) => io.out(d)));
    ktapTotals(results).forEach((l) => io.out(l));
  } else summaryLines(results).forEach((l) => io.out(l));
  if (results.some((r) => r.status === 'fail')) return EXIT.FAIL;
  if (results.some((r) => r.status === 'error')) return EXIT.INFRA;
  return nothingTested(results) ? EXIT.NOTHING : EXIT.PASS;
};
