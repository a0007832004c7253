/**
 * Replay tokens of parallel cases: "gmp1." + the compressed case, profile name, and for the
 * emulator the interleaving (the task run at each scheduler step), target seed and bugs, so an
 * emulator failure replays exactly. Decoding checks the envelope and the case (models/parallel/
 * case.ts caseProblem: every op the boundary check, the shape, the branch-op rules): a token may
 * come from anyone.
 */
import { pack, unpack } from '../../../spec/vocab/codec.js';
import { caseProblem, type ParallelCase } from '../../parallel/case.js';
import { BadTokenError, MAX_TOKEN_BYTES, MAX_TOKEN_CHARS } from '../token.js';
import { MAX_SCHEDULE } from './trace.js';

export const PAR_TOKEN_PREFIX = 'gmp1.';

export interface ParallelReplay {
  readonly profile: string;
  readonly case: ParallelCase;
  readonly schedule?: readonly number[];
  readonly targetSeed?: number;
  readonly bugs?: readonly string[];
}

export const parallelToken = (r: ParallelReplay): string =>
  PAR_TOKEN_PREFIX + pack({
    profile: r.profile, case: r.case,
    ...(r.schedule !== undefined ? { schedule: r.schedule } : {}),
    ...(r.targetSeed !== undefined ? { targetSeed: r.targetSeed } : {}),
    ...(r.bugs !== undefined && r.bugs.length > 0 ? { bugs: r.bugs } : {}),
  });

export const decodeParallelToken = (token: string): ParallelReplay => {
  if (!token.startsWith(PAR_TOKEN_PREFIX)) throw new BadTokenError(`parallel replay token must start with '${PAR_TOKEN_PREFIX}'`);
  if (token.length > MAX_TOKEN_CHARS) throw new BadTokenError(`replay token is longer than ${MAX_TOKEN_CHARS >> 20} MiB of text`);
  let v: unknown;
  try {
    v = unpack(token.slice(PAR_TOKEN_PREFIX.length), MAX_TOKEN_BYTES);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new BadTokenError(`replay token inflates to more than ${MAX_TOKEN_BYTES >> 20} MiB; refused`);
    throw new BadTokenError('replay token is corrupt (cannot be decompressed or parsed)');
  }
  const r = v as Partial<ParallelReplay> | null;
  if (typeof r?.profile !== 'string' || r.profile.length > 256) throw new BadTokenError('parallel replay token does not name a profile');
  const bad = caseProblem(r.case);
  if (bad !== undefined) throw new BadTokenError(`parallel replay token holds an invalid case: ${bad}`);
  if (r.schedule !== undefined && (!Array.isArray(r.schedule) || r.schedule.length > MAX_SCHEDULE || !r.schedule.every((x) => Number.isInteger(x) && x >= 0 && x <= 3))) {
    throw new BadTokenError(`parallel replay token's schedule must be at most ${MAX_SCHEDULE} task numbers 0..3`);
  }
  if (r.targetSeed !== undefined && !Number.isSafeInteger(r.targetSeed)) throw new BadTokenError('parallel replay token has a non-integer target seed');
  if (r.bugs !== undefined && !(Array.isArray(r.bugs) && r.bugs.length <= 64 && r.bugs.every((b) => typeof b === 'string' && /^[\w-]{1,64}$/.test(b)))) {
    throw new BadTokenError('parallel replay token has a malformed bug list');
  }
  return r as ParallelReplay;
};
