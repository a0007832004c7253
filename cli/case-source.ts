/**
 * What `replay` replays: a replay token (gmc1.…) or a trace.json path. Either gives the ops, a
 * profile (by name in a token, in full in a trace), and the emulator seed and bugs if recorded.
 *
 * Both are untrusted input (a token is meant to be pasted from a mailing list): the token's
 * inflated size and the trace file's kind and size are bounded, every op is validated field by
 * field before anything runs, and no error repeats the input's contents. Malformed input is a
 * UsageError naming the problem.
 */
import { existsSync } from 'node:fs';
import { OP_KINDS, type Op, type Profile } from '../spec/vocab/index.js';
import { BadTokenError, decodeToken, TOKEN_PREFIX } from '../models/report/token.js';
import { loadTrace, TraceError } from '../models/report/trace.js';
import { opCheck } from '../spec/vocab/validate.js';
import { UsageError } from './errors.js';

export interface CaseSource {
  readonly ops: readonly Op[];
  /** A profile name to resolve (token) or a full profile (trace). */
  readonly profile: string | Profile;
  readonly targetSeed?: number;
  readonly bugs: readonly string[];
  /** The profile the emulator implemented when the case was found, if not the judging one. */
  readonly emulatorProfile?: string;
  readonly target?: string;
  readonly from: string;
}

/** More ops than any shrunk (or even unshrunk) counterexample has. */
export const MAX_CASE_OPS = 10_000;
const MAX_BUGS = 64;

/**
 * Every op checked against the vocabulary (kind, every field, its type and the range its C type
 * carries, no unknown field) before any target sees it: the one boundary check derived from the op
 * declarations (spec/vocab/validate.ts), the same the agent's wire schema and the native target run.
 */
export const validateCaseOps = (ops: readonly unknown[], from: string): readonly Op[] => {
  if (ops.length > MAX_CASE_OPS) throw new UsageError(`${from} holds ${ops.length} ops, more than ${MAX_CASE_OPS}`);
  ops.forEach((op, i) => {
    const e = opCheck(op, '$');
    if (e === undefined) return;
    const kind = (op as { kind?: unknown } | null)?.kind;
    // An unknown kind is not echoed (errors never repeat the input): the valid ones are listed.
    if (!(OP_KINDS as readonly unknown[]).includes(kind)) throw new UsageError(`${from}: op ${i + 1} has no known kind (op kinds: ${OP_KINDS.join(', ')}); nothing was run`);
    throw new UsageError(`${from}: op ${i + 1} (${String(kind)}) is invalid: ${e}; nothing was run`);
  });
  return ops as readonly Op[];
};

const checkExtras = (bugs: unknown, targetSeed: unknown, from: string): void => {
  if (!Array.isArray(bugs) || bugs.length > MAX_BUGS || !bugs.every((b) => typeof b === 'string' && /^[\w-]{1,64}$/.test(b))) {
    throw new UsageError(`${from}: the bug list is malformed`);
  }
  if (targetSeed !== undefined && !Number.isSafeInteger(targetSeed)) throw new UsageError(`${from}: the target seed is not an integer`);
};

export const loadCase = (arg: string): CaseSource => {
  if (arg.startsWith(TOKEN_PREFIX)) {
    let c;
    try {
      c = decodeToken(arg);
    } catch (e) {
      if (e instanceof BadTokenError) throw new UsageError(e.message);
      throw e;
    }
    checkExtras(c.bugs ?? [], c.targetSeed, 'replay token');
    const ops = validateCaseOps(c.ops, 'replay token');
    return {
      ops, profile: c.profile, bugs: c.bugs ?? [], ...(c.targetSeed !== undefined ? { targetSeed: c.targetSeed } : {}),
      ...(c.emulatorProfile !== undefined ? { emulatorProfile: c.emulatorProfile } : {}), from: 'token',
    };
  }
  if (!existsSync(arg)) throw new UsageError(`'${arg.length > 60 ? `${arg.slice(0, 60)}…` : arg}' is neither a replay token (${TOKEN_PREFIX}…) nor an existing trace file`);
  let t;
  try {
    t = loadTrace(arg);
  } catch (e) {
    if (e instanceof TraceError) throw new UsageError(`malformed trace: ${e.message}`);
    throw e;
  }
  checkExtras(t.bugs, t.targetSeed, arg);
  const ops = validateCaseOps(t.ops, arg);
  return {
    ops, profile: t.profile, bugs: t.bugs, target: t.target, ...(t.targetSeed !== undefined ? { targetSeed: t.targetSeed } : {}),
    ...(t.emulatorProfile !== undefined ? { emulatorProfile: t.emulatorProfile } : {}), from: arg,
  };
};
