/**
 * `gmemcheck replay <token | trace.json>`: runs one recorded sequence in lockstep on a target
 * and prints every step with its outcome and verdict. Exit 0 if it conforms, 1 if it reproduces
 * a failure (printed in the standard failure layout), 4 if there is nothing to replay.
 *
 * A token or trace is untrusted (cli/case-source.ts validates it): it runs on the emulator unless
 * the command line itself names a real target (--target native|remote|auto). The target a trace
 * was recorded on is only mentioned, never followed: a shared file must not be able to choose to
 * run its ops on this machine's kernel.
 */
import type { Profile } from '../../spec/vocab/index.js';
import { lockstep } from '../../models/lockstep.js';
import { formatAllowed, formatOp, formatOutcome } from '../../spec/vocab/render-text.js';
import { formatFailure } from '../../models/report/message.js';
import { EXIT, InfraError, NothingTestedError, UsageError, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { parse, seedArg } from '../parse.js';
import { openTarget } from '../open-target.js';
import { profileArg } from '../profile-arg.js';
import { isParallelCase, replayParallel } from './replay-parallel.js';
import { bugsArg, checkBugs } from '../bugs-arg.js';
import { parseTargetSpec, type TargetSpec } from '../target-spec.js';
import { loadCase } from '../case-source.js';

/** A token names its profile; a probed profile ("probed(...)") is re-derived from the target's probe. */
const tokenProfile = (name: string): Profile | undefined => (name.startsWith('probed(') ? undefined : profileArg(name));

export const replayCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const { values: v, positionals } = parse(args, {
    target: { type: 'string' }, profile: { type: 'string' }, 'emulator-profile': { type: 'string' }, bugs: { type: 'string' },
    seed: { type: 'string' }, runs: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  }, 1, 'replay');
  const arg = positionals[0];
  if (arg === undefined) throw new UsageError('replay needs a replay token or a trace.json path');
  if (isParallelCase(arg)) {
    if (v['emulator-profile'] !== undefined) throw new UsageError('--emulator-profile applies to sequential cases only (gmc1. tokens and their traces)');
    return replayParallel(arg, v, io);
  }
  if (v.runs !== undefined) throw new UsageError('--runs applies to parallel cases only (a gmp1. token or a parallel trace)');
  // The command line is checked before the case it names is read.
  const flagBugs = v.bugs !== undefined ? bugsArg(v.bugs) : undefined;
  const c = loadCase(arg);
  if (c.ops.length === 0) throw new NothingTestedError(`nothing to replay: the ${c.from === 'token' ? 'token' : 'trace'} holds no ops`);
  const bugs = flagBugs ?? checkBugs(c.bugs, `the ${c.from === 'token' ? 'token' : 'trace'}'s bug list`);
  // Never GMEMCHECK_TARGET: a pasted token runs on a real kernel only when this command line says so.
  const target: TargetSpec = v.target !== undefined ? parseTargetSpec(v.target) : { kind: 'emulator' };
  const profile = v.profile !== undefined ? profileArg(v.profile) : typeof c.profile === 'string' ? tokenProfile(c.profile) : c.profile;
  const emulatorName = v['emulator-profile'] ?? c.emulatorProfile;
  const emulatorProfile = emulatorName !== undefined && target.kind === 'emulator' ? profileArg(emulatorName) : undefined;
  const targetSeed = seedArg(v.seed) ?? c.targetSeed ?? 0;

  const recorded = c.target !== undefined && /^[\w:.-]{1,40}$/.test(c.target) ? `; the trace was recorded on ${c.target}` : '';
  const origin = v.target === undefined && bugs.length === 0 ? `replay runs on the emulator unless --target names a real target${recorded}` : undefined;
  const { setup } = await openTarget({
    target, bugs, ...(origin ? { origin } : {}), ...(profile ? { profile } : {}), ...(emulatorProfile ? { emulatorProfile } : {}),
  }, io);
  io.out(`replaying ${c.ops.length} ops from ${c.from} under profile ${setup.profile.name} (target seed ${targetSeed})`);
  const unsupported = c.ops.filter((op) => setup.unsupported[op.kind] !== undefined).map((op) => op.kind);
  if (unsupported.length) throw new InfraError(`the ${setup.kind} target cannot issue ${[...new Set(unsupported)].join(', ')}: ${setup.unsupported[unsupported[0]!]}`);

  // The spec engine loads only now: argument and trace errors above never depend on it.
  const { SPEC } = await import('../../models/spec-api.js');
  const t = await setup.makeTarget(targetSeed);
  try {
    const r = await lockstep(SPEC, setup.profile, t, c.ops);
    r.steps.forEach((s, i) => {
      const bad = r.failure?.index === i;
      io.out(`${String(i + 1).padStart(4)}. ${formatOp(s.op)}`);
      io.out(`      → ${formatOutcome(s.observed)}   ${bad ? `NOT ALLOWED (wanted ${formatAllowed(s.allowed)})` : 'allowed'}   [${s.rules.join(', ')}]`);
    });
    if (r.failure) {
      io.out('');
      io.out(formatFailure(r.failure, { replay: setup.replay, targetSeed }));
      io.out(`reproduced: step ${r.failure.index + 1} violates ${r.failure.steps[r.failure.index]?.rules[0] ?? '?'}`);
      return EXIT.FAIL;
    }
    io.out(`conforms: all ${r.steps.length} steps allowed`);
    return EXIT.PASS;
  } finally {
    await t.close();
  }
};
