/**
 * What `replay` replays: a replay token (gmc1.…) or a trace.json path. Either gives the ops, a
 * profile (by name in a token, in full in a trace), and the emulator seed and bugs if recorded.
 * Malformed input is a UsageError naming the problem.
 */
import { existsSync } from 'node:fs';
import type { Op, Profile } from '../spec/vocab/index.js';
import { BadTokenError, decodeToken, TOKEN_PREFIX } from '../models/report/token.js';
import { loadTrace, TraceError } from '../models/report/trace.js';
import { UsageError } from './errors.js';

export interface CaseSource {
  readonly ops: readonly Op[];
  /** A profile name to resolve (token) or a full profile (trace). */
  readonly profile: string | Profile;
  readonly targetSeed?: number;
  readonly bugs: readonly string[];
  readonly target?: string;
  readonly from: string;
}

export const loadCase = (arg: string): CaseSource => {
  if (arg.startsWith(TOKEN_PREFIX)) {
    try {
      const c = decodeToken(arg);
      return { ops: c.ops, profile: c.profile, bugs: c.bugs ?? [], ...(c.targetSeed !== undefined ? { targetSeed: c.targetSeed } : {}), from: 'token' };
    } catch (e) {
      if (e instanceof BadTokenError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (!existsSync(arg)) throw new UsageError(`'${arg.length > 60 ? `${arg.slice(0, 60)}…` : arg}' is neither a replay token (${TOKEN_PREFIX}…) nor an existing trace file`);
  try {
    const t = loadTrace(arg);
    return { ops: t.ops, profile: t.profile, bugs: t.bugs, target: t.target, ...(t.targetSeed !== undefined ? { targetSeed: t.targetSeed } : {}), from: arg };
  } catch (e) {
    if (e instanceof TraceError) throw new UsageError(`malformed trace: ${e.message}`);
    throw e;
  }
};
