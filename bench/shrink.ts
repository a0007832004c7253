/**
 * Shrinking: how long fast-check needs to shrink a planted failure buried in a ~1,000-operation
 * sequence down to its minimal form, with an emulator bug switched on. The seed is chosen so that
 * the very first generated sequence is at least 950 ops long and fails; the sequence arbitrary has
 * no minimum length, so shrinking is free to go all the way down.
 */
import fc from 'fast-check';
import { createEmulator } from '../adapters/emulator/index.js';
import { EMULATOR_LIMITS } from '../models/generate/context.js';
import { MIXED } from '../models/generate/mixes.js';
import { sequenceArb } from '../models/generate/sequence.js';
import type { Template } from '../models/generate/template.js';
import { lockstep } from '../models/lockstep.js';
import { resolveTemplates } from '../models/property.js';
import { SPEC } from '../models/spec-api.js';
import { linux618 } from '../spec/profiles/index.js';
import { now } from './measure.js';

export interface ShrinkResult { readonly bug: string; readonly firstLength: number; readonly shrunkLength: number; readonly ms: number; readonly runs: number }

const arb = sequenceArb({ mix: MIXED, maxLength: 1000 });

const failsAt = async (templates: readonly Template[], bug: string): Promise<number | null> => {
  const ops = resolveTemplates(templates, EMULATOR_LIMITS, linux618);
  const r = await lockstep(SPEC, linux618, createEmulator({ profile: linux618, seed: 1, bugs: [bug] }), ops);
  return r.failure ? r.failure.index + 1 : null;
};

export const shrinkPlanted = async (bug: string): Promise<ShrinkResult> => {
  let seed = 1;
  for (;; seed++) {
    const [first] = fc.sample(arb, { seed, numRuns: 1 });
    if (first && first.length >= 950 && (await failsAt(first, bug)) !== null) break;
  }
  const firstLength = fc.sample(arb, { seed, numRuns: 1 })[0]!.length;
  let shrunkLength = firstLength;
  let runs = 0;
  const prop = fc.asyncProperty(arb, async (templates) => {
    runs++;
    const at = await failsAt(templates, bug);
    if (at !== null) {
      shrunkLength = at;
      throw new Error('planted failure');
    }
  });
  const t0 = now();
  await fc.check(prop, { numRuns: 1, seed });
  return { bug, firstLength, shrunkLength, ms: now() - t0, runs };
};
