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
import { DOMAIN_PROPERTIES, domainsForRule, parseDomains, RUN_DOMAINS, type DomainProperty, type RunDomain } from '../domains.js';
import { PARALLEL_PROPERTY } from '../run/parallel-property.js';
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
  let sel = new Set<RunDomain>(RUN_DOMAINS);
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
  const props: DomainProperty[] = [...DOMAIN_PROPERTIES, PARALLEL_PROPERTY].filter((p) => selected.has(p.domain));
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

  // The parallel domain also runs on a kernel without guest_memfd: on memfd, whose races are real (TargetSetup.memfdOnly).
  const memfdOnly = selected.has('parallel');
  const { setup } = await openTarget({ target: targetFlag, bugs, ...(profile ? { profile } : {}), ...(v.agent ? { agent: v.agent } : {}), ...(memfdOnly ? { memfdOnly } : {}) }, io, note);
  note(`kernel ${setup.probe.release}; profile ${setup.profile.name}${setup.undecided.length ? ` (undecided, 6.18 answer kept: ${setup.undecided.join(', ')})` : ''}`);
  note(`seed ${seed} (rerun with --seed ${seed}); ${time ? `${time}s budget` : runs ? `${runs} runs per domain` : 'default runs per domain'}; artifacts under ${resultsDir}`);

  // The spec engine loads only now: argument errors above never depend on it.
  const { runDomainProperty } = await import('../run/domain-run.js');
  const { runParallelDomain } = await import('../run/parallel-run.js');
  const budgetMs = time === undefined ? undefined : (time * 1000) / props.filter((p) => !p.requires.some((k) => setup.unsupported[k])).length;
  const results: DomainResult[] = [];
  for (const p of props) {
    const index = DOMAIN_PROPERTIES.indexOf(p);
    const opts = {
      ...(runs !== undefined ? { runs } : {}), ...(budgetMs !== undefined ? { timeMs: budgetMs } : {}),
      seed: (seed + (index < 0 ? DOMAIN_PROPERTIES.length : index) * 7919) | 0, resultsDir, bugs, io, note, tty: io.tty && !ktap,
    };
    const r = p.domain === 'parallel' ? await runParallelDomain(setup, opts)
      : setup.memfdOnly !== undefined ? { property: p, profile: setup.profile.name, seed: opts.seed, status: 'skip' as const, detail: setup.memfdOnly.replace(/: KVM_CREATE.*$/, ''), sequences: 0, opsChecked: 0, ruleHits: new Map<string, number>(), ms: 0 }
        : await runDomainProperty(p, setup, opts);
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
