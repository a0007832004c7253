/**
 * Replay tokens: one string that re-runs a counterexample on any target. It carries the profile
 * name and the resolved ops (compressed JSON, see models/codec.ts), prefixed with a version.
 */
import type { Op } from '../../spec/vocab/index.js';
import { pack, unpack } from '../codec.js';
import type { Failure } from '../lockstep.js';

export const TOKEN_PREFIX = 'gmc1.';

export interface ReplayCase {
  readonly profile: string;
  readonly ops: readonly Op[];
}

export class BadTokenError extends Error {
  override name = 'BadTokenError';
}

export const replayToken = (f: Failure): string =>
  TOKEN_PREFIX + pack({ profile: f.profile.name, ops: f.steps.map((s) => s.op) });

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
  return { profile: c.profile, ops: c.ops };
};
