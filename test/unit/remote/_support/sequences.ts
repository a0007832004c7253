/** Fixed batches of generated op sequences, and running one on a target step by step. */
import fc from 'fast-check';
import type { Op, Outcome, Profile } from '../../../../spec/vocab/index.js';
import type { TargetFactory } from '../../../../spec/vocab/target.js';
import { GenContext, type GenLimits } from '../../../../models/generate/context.js';
import { MIXED, MIXES, type Mix } from '../../../../models/generate/mixes.js';
import { sequenceArb } from '../../../../models/generate/sequence.js';

export const ALL_MIXES: readonly (readonly [string, Mix])[] = [...Object.entries(MIXES), ['mixed', MIXED]];

export const sampleSequences = (mix: Mix, n: number, seed: number, limits: GenLimits, profile: Profile): Op[][] =>
  fc.sample(sequenceArb({ mix, maxLength: 25 }), { numRuns: n, seed }).map((templates) => {
    const ctx = new GenContext(limits, profile.caps.nrMemslots);
    return templates.map((t) => {
      const op = t.resolve(ctx);
      ctx.record(op);
      return op;
    });
  });

/** What a step produced: its outcome, or the harness error it threw (which ends the sequence). */
export type StepResult = Outcome | { readonly threw: string };

export const runSequence = async (factory: TargetFactory, seed: number, ops: readonly Op[]): Promise<StepResult[]> => {
  const t = await factory(seed);
  const out: StepResult[] = [];
  try {
    for (const op of ops) {
      try {
        out.push(await t.apply(op));
      } catch (e) {
        out.push({ threw: (e as Error).name });
        break;
      }
    }
  } finally {
    await t.close();
  }
  return out;
};
