/**
 * Shrinking: how long fast-check needs to shrink a planted failure buried in a 1,000-operation
 * sequence down to its minimal form, with an emulator bug switched on.
 */
import fc from 'fast-check';
import { createEmulator } from '../adapters/emulator/index.js';
import { EMULATOR_LIMITS } from '../models/generate/context.js';
import { MIXED } from '../models/generate/mixes.js';
import { sequenceArb } from '../models/generate/sequence.js';
import { lockstep } from '../models/lockstep.js';
import { resolveTemplates } from '../models/property.js';
import { SPEC } from '../models/spec-api.js';
import { linux618 } from '../spec/profiles/index.js';
import { now } from './measure.js';

export interface ShrinkResult { readonly bug: string; readonly firstLength: number; readonly shrunkLength: number; readonly ms: number; readonly runs: number }

export const shrinkPlanted = async (bug: string): Promise<ShrinkResult> => {
  let firstLength = 0;
  let shrunkLength = 0;
  let runs = 0;
  const prop = fc.asyncProperty(
    sequenceArb({ mix: MIXED, minLength: 1000, maxLength: 1000 }),
    async (templates) => {
      runs++;
      const ops = resolveTemplates(templates, EMULATOR_LIMITS, linux618);
      const r = await lockstep(SPEC, linux618, createEmulator({ profile: linux618, seed: 1, bugs: [bug] }), ops);
      if (r.failure) {
        if (!firstLength) firstLength = ops.length;
        shrunkLength = r.failure.index + 1;
        throw new Error('planted failure');
      }
    },
  );
  const t0 = now();
  await fc.check(prop, { numRuns: 20, seed: 1 });
  return { bug, firstLength, shrunkLength, ms: now() - t0, runs };
};
