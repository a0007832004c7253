/**
 * The parallel domain of `gmemcheck run`: generated parallel cases (models/parallel) on the chosen
 * target — the emulator interleaving them with its seeded scheduler, a real kernel on threads,
 * each case several times — with failure artifacts written as they are found, like every domain.
 * A target that cannot run branches (an agent older than the branches request) is a
 * skip with that reason; on a kernel without guest_memfd the cases are memfd-only and the output
 * says so.
 */
import { canRunBranches } from '../../spec/vocab/target.js';
import type { TargetSetup } from '../../models/target-setup.js';
import { checkParallel, ParallelConformanceError, ParallelStats, type ParallelOptions } from '../../models/parallel/property.js';
import { ParallelArtifacts } from '../../models/report/parallel/artifacts.js';
import { formatParallelFailure } from '../../models/report/parallel/message.js';
import { PARALLEL_PROPERTY } from './parallel-property.js';
import type { DomainRunOptions } from './domain-run.js';

/** A domain's options, and where a parallel failure's artifacts go (it is no Finding: ./result.ts `unexplained`). */
export interface ParallelRunOptions extends DomainRunOptions {
  readonly resultsDir: string;
}
import { countingFactory } from './counting-target.js';
import { makeProgress } from './progress.js';
import type { DomainPart, DomainResult } from './result.js';
import { partText } from './summary.js';
import { BACKINGS } from '../../models/parallel/case.js';
import { RACE_BUGS } from '../../adapters/emulator/index.js';
import { resolveProfile } from '../../spec/profiles/index.js';
import type { Profile } from '../../spec/vocab/index.js';

/**
 * A race bug of the zoo acts on ops of the feature its preset has (conversion, userfaultfd on
 * guest_memfd); under a judging profile without that feature none is generated, so the bug cannot
 * show: say so rather than let a pass look like the bug survived.
 */
const raceBugNotes = (bugs: readonly string[], profile: Profile): string[] => RACE_BUGS.flatMap((b) => {
  if (!bugs.includes(b.id)) return [];
  const missing = Object.entries(resolveProfile(b.profile).features).filter(([k, on]) => on && !profile.features[k as keyof Profile['features']]).map(([k]) => k);
  return missing.length ? [`parallel: ${b.id} races ops of ${missing.join(', ')}, which profile ${profile.name} has off, so no case can show it (use --profile ${b.profile})`] : [];
});
import type { Finding } from '../../models/findings.js';
import { failureKey, type Failure } from '../../models/lockstep.js';


/** Executions per case on a real kernel: each samples another interleaving. */
export const NATIVE_REPEATS = 5;
/** --time: cases until the time is up. */
const MAX_RUNS = 2 ** 31 - 1;

export const runParallelDomain = async (s: TargetSetup, o: ParallelRunOptions): Promise<DomainResult> => {
  const started = Date.now();
  const p = PARALLEL_PROPERTY;
  const base = { property: p, profile: s.profile.name, seed: o.seed, found: [], shrinkSequences: 0, cut: 0, ruleKindHits: new Map<string, number>() };
  const probeTarget = await s.makeTarget(0);
  const can = canRunBranches(probeTarget);
  await probeTarget.close();
  if (!can) return { ...base, status: 'skip', detail: `the ${s.kind} target cannot run branches concurrently (an agent older than the branches request: update it)`, sequences: 0, opsChecked: 0, ruleHits: new Map(), ms: 0 };
  const emulated = s.probe.target === 'emulator';
  const repeats = emulated ? 1 : NATIVE_REPEATS;
  // Why guest_memfd cases cannot run on this target (a kernel without it: memfd cases only).
  const noGmem = s.memfdOnly ?? s.unsupported.createGmem ?? s.unsupported.createVm;
  if (noGmem !== undefined) o.note(`parallel: memfd only — guest_memfd cases SKIP: ${noGmem}`);
  raceBugNotes(s.replay.bugs, s.profile).forEach((l) => o.note(l));
  const artifacts = new ParallelArtifacts({ resultsDir: o.resultsDir, probe: s.probe, replay: s.replay });
  // Progress counts executions (target instances): cases × repeats.
  const total = o.runs ?? (o.timeMs ? undefined : p.numRuns);
  const progress = makeProgress({ ...o.io, tty: o.tty }, '[parallel]', total === undefined ? undefined : total * repeats, o.note, Date.now, 'executions');
  let lastSeed: number | undefined;
  let failingSeed: number | undefined;
  const makeTarget = countingFactory(s.makeTarget, { created: (seed) => { lastSeed = seed; progress.sequence(); }, applied: () => progress.op() });
  // A failure found earlier in this run is suppressed for the rest of it (models/findings.ts): the
  // op kinds it happened on stay out of the parallel cases, or the same deviation would show again
  // as an interleaving nothing explains.
  const known = [...new Set(o.findings.all.map((f) => f.key.kind))];
  if (known.length) o.note(`parallel: left out, with a failure found earlier in this run: ${o.findings.all.map((f) => `${f.key.kind} (${f.key.rule})`).join(', ')}`);
  const excluded = new Set([...s.excluded, ...known]);
  // A prefix that fails sequentially is an ordinary failure: a Finding like any domain's.
  const found: Finding[] = [];
  let seqFinding: Finding | undefined;
  const sequential = (f: Failure, phase: 'first' | 'shrunk'): string | undefined => {
    if (phase === 'first') {
      const key = failureKey(f);
      const seen = o.findings.get(key);
      if (seen !== undefined) {
        seen.sequences++;
        seen.domains.add(p.domain);
        return undefined;
      }
      seqFinding = o.findings.add(f, key, { seed: o.seed, targetSeed: failingSeed ?? 0 }, p.domain);
      found.push(seqFinding);
    } else if (seqFinding !== undefined) {
      seqFinding.failure = f;
      seqFinding.shrunk = true;
    }
    return seqFinding === undefined ? undefined : o.writer.write(seqFinding, phase, s);
  };
  const options: ParallelOptions = {
    profile: s.profile, makeTarget, limits: s.limits, excluded, repeats, scheduled: emulated, ...(o.signal ? { signal: o.signal } : {}),
    onFailure: (f, phase) => {
      if (phase === 'first') failingSeed = lastSeed;
      if (phase === 'first') progress.shrinking();
      if (f.kind === 'sequential') {
        const dir = sequential(f.failure, phase);
        if (o.tty) o.io.status('');
        if (dir !== undefined) o.note(`parallel: ${phase === 'first' ? 'new failure in a prefix' : 'shrunk'} ${seqFinding!.key.rule} on ${seqFinding!.key.kind}: ${dir}`);
        return;
      }
      const w = artifacts.write(f, phase, failingSeed !== undefined ? { targetSeed: failingSeed } : {});
      if (o.tty) o.io.status('');
      o.note(`parallel: ${phase === 'first' ? 'first failing case' : 'shrunk case'} written to ${w.dir}`);
    },
  };
  const stats = new ParallelStats();
  const finish = (status: DomainResult['status'], detail?: string, report?: string): DomainResult => {
    progress.done();
    const secs = (Date.now() - started) / 1000;
    const rate = (n: number): string => (n / Math.max(secs, 1e-3)).toFixed(n / Math.max(secs, 1e-3) < 100 ? 1 : 0);
    // What each backing file got: cases that ran, or a skip with its reason (never a silent pass).
    // Under a profile whose kernel has no guest_memfd (linux-6.18-nogmem) the guest_memfd cases
    // still run, but each is refused at creation: they test that refusal, not guest_memfd.
    const refused = s.profile.caps.guestMemfd === 0 ? ', each refused at creation (the profile\'s kernel has no guest_memfd: ENOTTY)' : '';
    const parts: DomainPart[] = BACKINGS.map((b) => (b === 'guest_memfd' && noGmem !== undefined
      ? { name: 'guest_memfd', status: 'skip', detail: noGmem }
      : { name: b === 'memfd' ? 'memfd (shmem)' : b, status: 'ran', detail: `${stats.backings.get(b) ?? 0} cases${b === 'guest_memfd' ? refused : ''}` }));
    if (status !== 'error') {
      o.note(`parallel: ${stats.sequences} cases (${rate(stats.sequences)} cases/s), ${stats.executions} executions (${repeats} per case${emulated ? ', each with its own interleaving' : ' on threads'}, ` +
        `${rate(stats.executions)}/s); linearizability check ${(stats.checkMs / Math.max(stats.executions, 1)).toFixed(3)} ms per execution`);
      o.note(`parallel: backing exercised — ${parts.map(partText).join('; ')}`);
    }
    return {
      ...base, found, status, ...(detail !== undefined ? { detail } : {}),
      ...(report !== undefined ? { unexplained: { report, ...(artifacts.dir ? { artifacts: artifacts.dir } : {}) } } : {}),
      sequences: stats.sequences, opsChecked: stats.opsChecked, ruleHits: stats.ruleHits, ruleKindHits: stats.ruleKindHits, ms: Date.now() - started,
      ...(status === 'ran' ? { parts } : {}),
      ...(o.signal?.aborted ? { stopped: 'interrupted' as const } : {}),
    };
  };
  try {
    // One search for the whole budget: fast-check biases its first runs towards small values, so
    // searches restarted every few cases would never draw the longer cases some races need.
    stats.mergeParallel(await checkParallel(options, o.timeMs === undefined
      ? { numRuns: o.runs ?? p.numRuns, seed: o.seed }
      : { numRuns: MAX_RUNS, seed: o.seed, timeLimitMs: Math.max(1, started + o.timeMs - Date.now()) }));
    return stats.executions === 0 ? finish('skip', 'nothing tested: no parallel case ran') : finish('ran');
  } catch (e) {
    if (e instanceof ParallelConformanceError) {
      stats.mergeParallel(e.stats);
      return e.failure.kind === 'sequential' ? finish('ran') : finish('ran', undefined, formatParallelFailure(e));
    }
    return finish('error', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
};
