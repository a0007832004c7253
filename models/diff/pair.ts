/**
 * Two opened sides and how one generated case runs on them: the ops are resolved once (with the
 * stricter of the two sides' safety limits, never generating an op either side cannot issue), a
 * native kernel is shared when both sides are native (one kernel, two profiles), and every target
 * is closed whatever happens.
 */
import type { Op, OpKind } from '../../spec/vocab/index.js';
import type { GenLimits } from '../generate/context.js';
import type { Template } from '../generate/template.js';
import { resolveTemplates } from '../property.js';
import { SPEC } from '../spec-api.js';
import type { RunStats } from '../stats.js';
import { dualLockstep, type DualResult } from './dual.js';
import type { Side } from './side.js';

export interface DiffPair {
  readonly a: Side;
  readonly b: Side;
}

export const sharesTarget = (p: DiffPair): boolean => p.a.setup.kind === 'native' && p.b.setup.kind === 'native';

export const pairLimits = (p: DiffPair): GenLimits => {
  const [x, y] = [p.a.setup.limits, p.b.setup.limits];
  return {
    maxAllocPages: Math.min(x.maxAllocPages, y.maxAllocPages),
    maxMapBytes: x.maxMapBytes < y.maxMapBytes ? x.maxMapBytes : y.maxMapBytes,
    maxSlotPages: Math.min(x.maxSlotPages, y.maxSlotPages),
  };
};

export const pairExcluded = (p: DiffPair): ReadonlySet<OpKind> => new Set([...p.a.setup.excluded, ...p.b.setup.excluded]);

export const runCase = (
  p: DiffPair, templates: readonly Template[], seed: number, stats?: { readonly a: RunStats; readonly b: RunStats },
): Promise<DualResult> => runOps(p, resolveTemplates(templates, pairLimits(p), p.a.setup.profile), seed, stats);

/** One given sequence on both sides (a replay token's ops, or a resolved generated case). */
export const runOps = async (
  p: DiffPair, ops: readonly Op[], seed: number, stats?: { readonly a: RunStats; readonly b: RunStats },
): Promise<DualResult> => {
  const ta = await p.a.setup.makeTarget(seed);
  const tb = sharesTarget(p) ? undefined : await p.b.setup.makeTarget(seed);
  try {
    return await dualLockstep(SPEC, { a: p.a.setup.profile, b: p.b.setup.profile }, { a: ta, ...(tb ? { b: tb } : {}) }, ops, stats);
  } finally {
    await ta.close();
    await tb?.close();
  }
};
