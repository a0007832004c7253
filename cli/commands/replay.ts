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
import { list, oneOf, parse, seedArg } from '../parse.js';
import { openTarget } from '../open-target.js';
import { profileArg } from '../profile-arg.js';
import { TARGET_FLAGS, type TargetFlag } from '../target-choice.js';
import { loadCase } from '../case-source.js';

/** A token names its profile; a probed profile ("probed(...)") is re-derived from the target's probe. */
const tokenProfile = (name: string): Profile | undefined => (name.startsWith('probed(') ? undefined : profileArg(name));

export const replayCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const { values: v, positionals } = parse(args, {
    target: { type: 'string' }, profile: { type: 'string' }, bugs: { type: 'string' }, seed: { type: 'string' }, agent: { type: 'string' },
  }, 1);
  const arg = positionals[0];
  if (arg === undefined) throw new UsageError('replay needs a replay token or a trace.json path');
  const c = loadCase(arg);
  if (c.ops.length === 0) throw new NothingTestedError(`nothing to replay: the ${c.from === 'token' ? 'token' : 'trace'} holds no ops`);
  const bugs = v.bugs !== undefined ? list(v.bugs) : c.bugs;
  const flag: TargetFlag = oneOf('target', v.target, TARGET_FLAGS, 'emulator');
  const profile = v.profile !== undefined ? profileArg(v.profile) : typeof c.profile === 'string' ? tokenProfile(c.profile) : c.profile;
  const targetSeed = seedArg(v.seed) ?? c.targetSeed ?? 0;

  const recorded = c.target !== undefined && /^[\w:.-]{1,40}$/.test(c.target) ? `; the trace was recorded on ${c.target}` : '';
  const origin = v.target === undefined && bugs.length === 0 ? `replay runs on the emulator unless --target names a real target${recorded}` : undefined;
  const { setup } = await openTarget({ target: flag, bugs, ...(origin ? { origin } : {}), ...(profile ? { profile } : {}), ...(v.agent ? { agent: v.agent } : {}) }, io);
  io.out(`replaying ${c.ops.length} ops from ${c.from} under profile ${setup.profile.name} (target seed ${targetSeed})`);
  const unsupported = c.ops.filter((op) => setup.unsupported[op.kind] !== undefined).map((op) => op.kind);
  if (unsupported.length) throw new InfraError(`the ${setup.kind} target cannot issue ${[...new Set(unsupported)].join(', ')}: ${setup.unsupported[unsupported[0]!]}`);

  // The spec engine loads only now: argument and trace errors above never depend on it.
  const { SPEC } = await import('../../models/spec-api.js');
  const target = await setup.makeTarget(targetSeed);
  try {
    const r = await lockstep(SPEC, setup.profile, target, c.ops);
    r.steps.forEach((s, i) => {
      const bad = r.failure?.index === i;
      io.out(`${String(i + 1).padStart(4)}. ${formatOp(s.op)}`);
      io.out(`      → ${formatOutcome(s.observed)}   ${bad ? `NOT ALLOWED (wanted ${formatAllowed(s.allowed)})` : 'allowed'}   [${s.rules.join(', ')}]`);
    });
    if (r.failure) {
      io.out('');
      io.out(formatFailure(r.failure));
      io.out(`reproduced: step ${r.failure.index + 1} violates ${r.failure.steps[r.failure.index]?.rules[0] ?? '?'}`);
      return EXIT.FAIL;
    }
    io.out(`conforms: all ${r.steps.length} steps allowed`);
    return EXIT.PASS;
  } finally {
    await target.close();
  }
};
