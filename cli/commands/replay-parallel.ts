/**
 * `gmemcheck replay` of a parallel case (a gmp1. token or a parallel trace.json). On the emulator
 * it replays the recorded interleaving exactly (or, without one, its first-runnable schedule); on
 * a real kernel it runs the case up to --runs times (default 100) until no interleaving explains
 * the outcomes again. Prints the prefix, each branch's outcomes and the verdict. Exit 1 when the
 * non-linearizable outcome came back, 0 when every run was explained. The same trust rules as any
 * replay: the case is checked before anything runs, and it runs on the emulator unless --target
 * names a real one.
 */
import { existsSync } from 'node:fs';
import { canRunBranches } from '../../spec/vocab/target.js';
import { formatOp, formatOutcome } from '../../spec/vocab/render-text.js';
import { BadTokenError } from '../../models/report/token.js';
import { decodeParallelToken, PAR_TOKEN_PREFIX, type ParallelReplay } from '../../models/report/parallel/token.js';
import { loadParallelTrace, isParallelTraceText } from '../../models/report/parallel/trace.js';
import { readTraceFile, TraceError } from '../../models/report/trace.js';
import { EXIT, InfraError, UsageError, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { posInt, seedArg } from '../parse.js';
import { bugsArg, checkBugs } from '../bugs-arg.js';
import { parseTargetSpec, type TargetSpec } from '../target-spec.js';
import { openTarget } from '../open-target.js';
import { profileArg } from '../profile-arg.js';

/** Is `arg` a parallel case (token, or a trace file of the parallel schema)? */
export const isParallelCase = (arg: string): boolean => {
  if (arg.startsWith(PAR_TOKEN_PREFIX)) return true;
  if (!existsSync(arg)) return false;
  try {
    return isParallelTraceText(readTraceFile(arg));
  } catch {
    return false;
  }
};

const load = (arg: string): ParallelReplay & { readonly from: string; readonly target?: string; readonly profileFull?: unknown } => {
  try {
    if (arg.startsWith(PAR_TOKEN_PREFIX)) return { ...decodeParallelToken(arg), from: 'token' };
    const t = loadParallelTrace(arg);
    return {
      profile: t.profile.name, case: t.case, ...(t.schedule !== undefined ? { schedule: t.schedule } : {}),
      ...(t.targetSeed !== undefined ? { targetSeed: t.targetSeed } : {}), bugs: t.bugs, from: arg, target: t.target, profileFull: t.profile,
    };
  } catch (e) {
    if (e instanceof BadTokenError || e instanceof TraceError) throw new UsageError(`malformed parallel case: ${e.message}`);
    throw e;
  }
};

export interface ParallelReplayFlags {
  readonly target?: string;
  readonly profile?: string;
  readonly bugs?: string;
  readonly seed?: string;
  readonly runs?: string;
}

export const replayParallel = async (arg: string, v: ParallelReplayFlags, io: Io): Promise<ExitCode> => {
  const c = load(arg);
  // Never GMEMCHECK_TARGET: a pasted case runs on a real kernel only when this command line says so.
  const target: TargetSpec = v.target !== undefined ? parseTargetSpec(v.target) : { kind: 'emulator' };
  // Recorded emulator bugs follow the case onto the emulator only; a real target runs it as it is.
  const bugs = v.bugs !== undefined ? bugsArg(v.bugs) : target.kind === 'emulator' ? checkBugs(c.bugs ?? [], 'the case\'s bug list') : [];
  const runs = posInt('runs', v.runs) ?? 100;
  const profile = v.profile !== undefined ? profileArg(v.profile) : c.profile.startsWith('probed(') ? undefined : profileArg(c.profile);
  const targetSeed = seedArg(v.seed) ?? c.targetSeed ?? 0;
  const origin = v.target === undefined && bugs.length === 0 ? 'replay runs on the emulator unless --target names a real target' : undefined;
  const { setup } = await openTarget({ target, bugs, memfdOnly: true, ...(origin ? { origin } : {}), ...(profile ? { profile } : {}) }, io);
  const kinds = [...c.case.prefix, ...c.case.branches.flat()].map((op) => op.kind).filter((k) => setup.unsupported[k] !== undefined);
  if (kinds.length) throw new InfraError(`the ${setup.kind} target cannot issue ${[...new Set(kinds)].join(', ')}: ${setup.unsupported[kinds[0]!]}`);
  const { SPEC } = await import('../../models/spec-api.js');
  const { runCase } = await import('../../models/parallel/run.js');
  const emulated = setup.probe.target === 'emulator';
  const attempts = emulated ? 1 : runs;
  io.out(`replaying a parallel case from ${c.from}: a prefix of ${c.case.prefix.length} ops, ${c.case.branches.length} branches, under profile ${setup.profile.name}` +
    `${emulated ? (c.schedule ? ' with its recorded interleaving' : ' (no recorded interleaving: first runnable first)') : `, up to ${attempts} runs`}`);
  for (let a = 1; a <= attempts; a++) {
    const t = await setup.makeTarget(targetSeed);
    try {
      if (!canRunBranches(t)) throw new InfraError(`the ${setup.kind} target cannot run branches concurrently`);
      const r = await runCase(SPEC, setup.profile, t, c.case, emulated && c.schedule ? { schedule: c.schedule } : {});
      if (r.diverged !== undefined) io.out(`the recorded interleaving stopped fitting at scheduler step ${r.diverged} (this emulator takes other steps: other bugs); it went on first-runnable from there`);
      const show = a === 1 || r.prefixFailure !== undefined || r.lin?.ok === false;
      if (show) {
        r.prefix.forEach((s, i) => io.out(`${String(i + 1).padStart(4)}. ${formatOp(s.op)} → ${formatOutcome(s.observed)}`));
        r.branches.forEach((b, k) => b.forEach((s, i) => io.out(`  branch ${k + 1}.${i + 1} ${formatOp(s.op)} → ${formatOutcome(s.observed)}${s.start !== undefined ? ` [${s.start}–${s.end}]` : ''}`)));
      }
      if (r.prefixFailure !== undefined) {
        io.out(`the prefix failed sequentially at step ${r.prefixFailure.index + 1} (${r.prefixFailure.steps[r.prefixFailure.index]?.rules[0] ?? '?'})`);
        return EXIT.FAIL;
      }
      if (r.lin?.ok === false) {
        for (const b of r.lin.blocked) {
          if (b.after === undefined) io.out(`  branch ${b.branch + 1} op ${b.index + 1}${b.point && b.point !== 'access' ? ` (${b.point})` : ''}: got ${b.observed ? formatOutcome(b.observed) : '-'}, allowed ${(b.allowed ?? []).map(formatOutcome).join(' | ') || 'nothing'}`);
        }
        io.out(`reproduced${attempts > 1 ? ` at run ${a}` : ''}: ${r.lin.exhausted ? 'no interleaving explains the outcomes' : 'undecided (search budget exhausted)'}`);
        return EXIT.FAIL;
      }
    } finally {
      await t.close();
    }
  }
  io.out(`explained: ${attempts === 1 ? 'an interleaving explains every outcome' : `every one of ${attempts} runs was explained by some interleaving`}`);
  return EXIT.PASS;
};
