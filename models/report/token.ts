/**
 * Replay tokens: one string that re-runs a counterexample on any target. It carries the profile
 * name and the resolved ops (compressed JSON, see models/codec.ts), prefixed with a version.
 */
import type { Op } from '../../spec/vocab/index.js';
import { pack, unpack } from '../../spec/vocab/codec.js';
import { opCheck } from '../../spec/vocab/validate.js';
import type { Failure } from '../lockstep.js';

export const TOKEN_PREFIX = 'gmc1.';

export interface ReplayCase {
  readonly profile: string;
  readonly ops: readonly Op[];
  /** The seed the failing target instance was created with (the emulator's choices descend from it). */
  readonly targetSeed?: number;
  /** Emulator bugs that were switched on when the failure was found. */
  readonly bugs?: readonly string[];
}

/** What a token may carry besides the profile and ops (optional, so older tokens still decode). */
export interface TokenExtra {
  readonly targetSeed?: number;
  readonly bugs?: readonly string[];
}

export class BadTokenError extends Error {
  override name = 'BadTokenError';
}

export const replayToken = (f: Failure, extra: TokenExtra = {}): string =>
  TOKEN_PREFIX + pack({
    profile: f.profile.name, ops: f.steps.map((s) => s.op),
    ...(extra.targetSeed !== undefined ? { targetSeed: extra.targetSeed } : {}),
    ...(extra.bugs !== undefined && extra.bugs.length > 0 ? { bugs: extra.bugs } : {}),
  });

export const decodeToken = (token: string): ReplayCase => {
  if (!token.startsWith(TOKEN_PREFIX)) throw new BadTokenError(`replay token must start with '${TOKEN_PREFIX}'`);
  let v: unknown;
  try {
    v = unpack(token.slice(TOKEN_PREFIX.length));
  } catch {
    throw new BadTokenError('replay token is corrupt (cannot be decompressed or parsed)');
  }
  const c = v as Partial<ReplayCase>;
  if (typeof c?.profile !== 'string' || !Array.isArray(c.ops)) throw new BadTokenError('replay token does not hold a profile and an op list');
  // The boundary check of every op (spec/vocab/validate.ts): a token may come from anyone.
  c.ops.forEach((op: unknown, i) => {
    const bad = opCheck(op, `ops[${i}]`);
    if (bad !== undefined) throw new BadTokenError(`replay token holds an invalid op: ${bad}`);
  });
  if (c.targetSeed !== undefined && typeof c.targetSeed !== 'number') throw new BadTokenError('replay token has a non-numeric target seed');
  if (c.bugs !== undefined && !(Array.isArray(c.bugs) && c.bugs.every((b) => typeof b === 'string'))) throw new BadTokenError('replay token has a malformed bug list');
  return {
    profile: c.profile, ops: c.ops,
    ...(c.targetSeed !== undefined ? { targetSeed: c.targetSeed } : {}),
    ...(c.bugs !== undefined ? { bugs: c.bugs } : {}),
  };
};
