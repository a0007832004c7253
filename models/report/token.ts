/**
 * Replay tokens: one string that re-runs a counterexample on any target. It carries the profile
 * name and the resolved ops (compressed JSON, see spec/vocab/codec.ts), prefixed with a version, and
 * everything else the case needs to reproduce: the target seed, the emulator bugs and the profile
 * the emulator implemented when that was not the judging one.
 */
import type { Op } from '../../spec/vocab/index.js';
import { pack, unpack } from '../../spec/vocab/codec.js';
import type { Failure } from '../lockstep.js';

export const TOKEN_PREFIX = 'gmc1.';

export interface ReplayCase {
  readonly profile: string;
  readonly ops: readonly Op[];
  /** The seed the failing target instance was created with (the emulator's choices descend from it). */
  readonly targetSeed?: number;
  /** Emulator bugs that were switched on when the failure was found. */
  readonly bugs?: readonly string[];
  /** The profile the emulator implemented, when it was not the judging one (`run --emulator-profile`). */
  readonly emulatorProfile?: string;
}

/** What a token may carry besides the profile and ops (optional, so older tokens still decode). */
export interface TokenExtra {
  readonly targetSeed?: number;
  readonly bugs?: readonly string[];
  readonly emulatorProfile?: string;
}

export class BadTokenError extends Error {
  override name = 'BadTokenError';
}

export const replayToken = (f: Failure, extra: TokenExtra = {}): string =>
  TOKEN_PREFIX + pack({
    profile: f.profile.name, ops: f.steps.map((s) => s.op),
    ...(extra.targetSeed !== undefined ? { targetSeed: extra.targetSeed } : {}),
    ...(extra.bugs !== undefined && extra.bugs.length > 0 ? { bugs: extra.bugs } : {}),
    ...(extra.emulatorProfile !== undefined ? { emulatorProfile: extra.emulatorProfile } : {}),
  });

/** Longest token accepted (a shrunk counterexample is a few hundred characters). */
export const MAX_TOKEN_CHARS = 1 << 20;
/** Largest inflated token: a token is untrusted input (pasted from a mailing list). */
export const MAX_TOKEN_BYTES = 8 << 20;

/**
 * The token's envelope, checked; its ops are not: every caller runs the boundary check of each op
 * (cli/case-source.ts validateCaseOps, spec/vocab/validate.ts) before anything runs.
 */
export const decodeToken = (token: string): ReplayCase => {
  if (!token.startsWith(TOKEN_PREFIX)) throw new BadTokenError(`replay token must start with '${TOKEN_PREFIX}'`);
  if (token.length > MAX_TOKEN_CHARS) throw new BadTokenError(`replay token is longer than ${MAX_TOKEN_CHARS >> 20} MiB of text`);
  let v: unknown;
  try {
    v = unpack(token.slice(TOKEN_PREFIX.length), MAX_TOKEN_BYTES);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BadTokenError(`replay token inflates to more than ${MAX_TOKEN_BYTES >> 20} MiB; refused`);
    }
    throw new BadTokenError('replay token is corrupt (cannot be decompressed or parsed)');
  }
  const c = v as Partial<ReplayCase>;
  if (typeof c?.profile !== 'string' || !Array.isArray(c.ops)) throw new BadTokenError('replay token does not hold a profile and an op list');
  if (c.profile.length > 256) throw new BadTokenError('replay token names a profile longer than 256 characters');
  if (c.targetSeed !== undefined && typeof c.targetSeed !== 'number') throw new BadTokenError('replay token has a non-numeric target seed');
  if (c.bugs !== undefined && !(Array.isArray(c.bugs) && c.bugs.every((b) => typeof b === 'string'))) throw new BadTokenError('replay token has a malformed bug list');
  if (c.emulatorProfile !== undefined && !(typeof c.emulatorProfile === 'string' && c.emulatorProfile.length <= 256)) {
    throw new BadTokenError('replay token has a malformed emulator profile');
  }
  return {
    profile: c.profile, ops: c.ops,
    ...(c.targetSeed !== undefined ? { targetSeed: c.targetSeed } : {}),
    ...(c.bugs !== undefined ? { bugs: c.bugs } : {}),
    ...(c.emulatorProfile !== undefined ? { emulatorProfile: c.emulatorProfile } : {}),
  };
};
