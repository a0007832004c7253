/**
 * `gmemcheck run`: the main job. Chooses a target (printing which and why), runs each selected
 * domain property and keeps going after a failure: each distinct failure (the rule that excluded
 * the observation, and the kind of op) is shrunk and written as soon as it is found, then
 * suppressed for the rest of the run while the search goes on (models/explore.ts). It closes with
 * a summary of every distinct failure, judged against the known deviations of --expect (XFAIL),
 * and rule coverage (text), or KTAP.
 *
 * Exit 0 nothing failed (expected deviations included), 1 a failure (or an XPASS under
 * --strict-expect), 3 an infrastructure error and no failure, 4 nothing tested (every domain
 * skipped), 130 interrupted (the partial summary is printed first).
 */
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { openTarget } from '../open-target.js';
import { parseRunArgs } from '../run/options.js';
import { DOMAIN_PROPERTIES } from '../domains.js';
import type { DomainResult } from '../run/result.js';
import { findingLines, nothingTested, resultLine, summaryLines } from '../run/summary.js';
import { ktapDiag, ktapDomain, ktapExpectations, ktapHeader, ktapTotals, newCounts } from '../run/ktap.js';
import { coverage, coverageLines } from '../run/coverage.js';
import { failsRun, judge } from '../run/verdicts.js';
import { saveRunColumn } from '../run/column.js';
import { writeBaseline } from '../run/write-expect.js';

export const runCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const plan = parseRunArgs(args, process.env);
  const ktap = plan.format === 'ktap';
  // KTAP output starts with its version line; everything we say before results is a diagnostic.
  const note = ktap ? (l: string) => io.out(`# ${l}`) : io.out;
  const props = plan.properties;
  if (ktap) ktapHeader(props.length + (plan.expect ? 1 : 0)).forEach((l) => io.out(l));

  // The parallel domain also runs on a kernel without guest_memfd: on memfd, whose races are real (TargetSetup.memfdOnly).
  const memfdOnly = props.some((p) => p.domain === 'parallel');
  const { setup } = await openTarget({
    target: plan.target, bugs: plan.bugs, ...(plan.profile ? { profile: plan.profile } : {}),
    ...(plan.emulatorProfile ? { emulatorProfile: plan.emulatorProfile } : {}), ...(memfdOnly ? { memfdOnly } : {}),
  }, io, note);
  const bl = plan.expect?.baseline;
  if (bl?.profile !== undefined && bl.profile !== setup.profile.name) {
    throw new UsageError(`--expect ${plan.expect!.file} lists deviations from profile ${bl.profile}; this run judges by ${setup.profile.name} (use --profile ${bl.profile})`);
  }
  note(`kernel ${setup.probe.release}; profile ${setup.profile.name}${setup.undecided.length ? ` (undecided, 6.18 answer kept: ${setup.undecided.join('; ')})` : ''}`);
  const budget = plan.time !== undefined ? `${plan.time}s in all` : plan.runs !== undefined ? `${plan.runs} sequence${plan.runs === 1 ? '' : 's'} per domain` : 'each domain\'s default number of sequences';
  note(`seed ${plan.seed}: the same seed reruns the same sequences (every domain's search starts from a seed derived from it); ${budget}; results under ${plan.resultsDir}`);
  if (plan.rule !== undefined) note(`judging only ${plan.rule}: other rules' disagreements are counted, not failures`);

  // The spec engine loads only now: argument errors above never depend on it.
  const { runDomainProperty } = await import('../run/domain-run.js');
  const { runParallelDomain } = await import('../run/parallel-run.js');
  const { Findings } = await import('../../models/findings.js');
  const { FindingWriter } = await import('../run/artifacts.js');
  const { formatFailure } = await import('../../models/report/message.js');
  const findings = new Findings();
  const writer = new FindingWriter(plan.resultsDir, io);
  const selected = plan.rule === undefined ? undefined : (k: { rule: string }) => k.rule === plan.rule;
  // A kernel without guest_memfd (memfdOnly) runs the parallel domain's memfd cases and nothing
  // else: the time budget goes to the domains that run (a 120 s run lasted 11 s before).
  const memfdSkip = (p: (typeof props)[number]): string | undefined => (p.domain === 'parallel' ? undefined : setup.memfdOnly);
  const runnable = props.filter((p) => !p.requires.some((k) => setup.unsupported[k]) && memfdSkip(p) === undefined);
  const budgetMs = plan.time === undefined ? undefined : (plan.time * 1000) / Math.max(1, runnable.length);
  const results: DomainResult[] = [];
  const details = new Map<unknown, string>();
  const counts = newCounts();
  let stopped: string | undefined;

  for (const p of props) {
    // The domain's place in the full table: `--domain X` reruns X with the seed a full run gives it.
    const index = DOMAIN_PROPERTIES.indexOf(p);
    let r: DomainResult;
    if (stopped !== undefined) {
      r = { property: p, profile: setup.profile.name, status: 'skip', detail: `not run: ${stopped}`, found: [], seed: plan.seed, sequences: 0, shrinkSequences: 0, opsChecked: 0, cut: 0, ruleHits: new Map(), ruleKindHits: new Map(), ms: 0 };
    } else if (p.domain === 'parallel') {
      r = await runParallelDomain(setup, {
        ...(plan.runs !== undefined ? { runs: plan.runs } : {}), ...(budgetMs !== undefined ? { timeMs: budgetMs } : {}),
        seed: (plan.seed + DOMAIN_PROPERTIES.length * 7919) | 0, findings, writer, io, note, tty: io.tty && !ktap,
        resultsDir: plan.resultsDir, ...(io.signal ? { signal: io.signal } : {}),
      });
      if (r.stopped === 'interrupted' || io.signal?.aborted) stopped = 'interrupted (Ctrl-C)';
    } else if (memfdSkip(p) !== undefined) {
      r = { property: p, profile: setup.profile.name, status: 'skip', detail: memfdSkip(p)!.replace(/: KVM_CREATE.*$/, ''), found: [], seed: plan.seed, sequences: 0, shrinkSequences: 0, opsChecked: 0, cut: 0, ruleHits: new Map(), ruleKindHits: new Map(), ms: 0 };
    } else {
      r = await runDomainProperty(p, setup, {
        ...(plan.runs !== undefined ? { runs: plan.runs } : {}), ...(budgetMs !== undefined ? { timeMs: budgetMs } : {}),
        seed: (plan.seed + index * 7919) | 0, findings, writer, io, note, tty: io.tty && !ktap,
        ...(selected ? { selected } : {}), ...(plan.maxFailures !== undefined ? { maxFailures: plan.maxFailures } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      });
      if (r.stopped === 'interrupted' || io.signal?.aborted) stopped = 'interrupted (Ctrl-C)';
      else if (r.stopped === 'max-failures') stopped = `the run stopped at ${plan.maxFailures} distinct failure(s) (${plan.maxFailures === 1 ? '--stop-at-first' : '--max-failures'})`;
    }
    results.push(r);
    for (const f of r.found) details.set(f, formatFailure(f.failure, { replay: setup.replay, targetSeed: f.at.targetSeed }));
    if (ktap) continue;
    io.out(resultLine(r));
    for (const f of r.found) io.out(details.get(f)!);
    if (r.unexplained !== undefined) io.out(r.unexplained.report);
  }

  const ruleKindHits = new Map<string, number>();
  for (const r of results) for (const [k, n] of r.ruleKindHits) ruleKindHits.set(k, (ruleKindHits.get(k) ?? 0) + n);
  const verdicts = judge(findings, bl, setup.probe.release, ruleKindHits, selected ?? (() => true));
  const cover = coverageLines(coverage(results, setup.profile, plan.rule), plan.rule);
  if (ktap) {
    results.forEach((r, i) => ktapDomain(r, i + 1, verdicts, details, counts).forEach((l) => io.out(l)));
    if (plan.expect) ktapExpectations(verdicts, results.length + 1, plan.expect.file, plan.strictExpect, counts).forEach((l) => io.out(l));
    for (const j of verdicts.judged) findingLines(j.finding, j.verdict, writer.lost.get(j.finding), j.entry?.reason).forEach((l) => ktapDiag(l).forEach((d) => io.out(d)));
    cover.forEach((l) => ktapDiag(l).forEach((d) => io.out(d)));
    ktapTotals(results, counts).forEach((l) => io.out(l));
  } else {
    summaryLines({
      results, findings, verdicts, lost: writer.lost, strict: plan.strictExpect, rerun: plan.rerun,
      ...(plan.expect ? { expectFile: plan.expect.file } : {}), ...(plan.rule !== undefined ? { rule: plan.rule } : {}),
    }).forEach((l) => io.out(l));
    cover.forEach((l) => io.out(l));
    if (nothingTested(results)) io.out('nothing tested: every selected domain was skipped (exit 4)');
  }
  const saved = saveRunColumn(plan.resultsDir, setup, results);
  note(saved.ok ? `report column: ${saved.path} (gmemcheck report --results ${plan.resultsDir})` : `report column not written: ${saved.reason}`);
  if (plan.writeExpect !== undefined) {
    if (stopped === 'interrupted (Ctrl-C)') note(`--write-expect ${plan.writeExpect}: not written, the run was interrupted`);
    else note(writeBaseline(plan.writeExpect, setup, verdicts, plan));
  }
  if (stopped === 'interrupted (Ctrl-C)') return EXIT.INTERRUPTED;
  if (failsRun(verdicts, plan.strictExpect) || results.some((r) => r.unexplained !== undefined)) return EXIT.FAIL;
  if (results.some((r) => r.status === 'error')) return EXIT.INFRA;
  return nothingTested(results) ? EXIT.NOTHING : EXIT.PASS;
};
