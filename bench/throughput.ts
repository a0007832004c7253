/**
 * Emulator throughput: spec-checked operations per second over long mixed runs, on one core
 * (this process). Each op is one spec step plus one emulator apply plus the comparison.
 */
import fc from 'fast-check';
import { createEmulator } from '../adapters/emulator/index.js';
import { EMULATOR_LIMITS } from '../models/generate/context.js';
import { MIXED } from '../models/generate/mixes.js';
import { sequenceArb } from '../models/generate/sequence.js';
import { lockstep } from '../models/lockstep.js';
import { resolveTemplates } from '../models/property.js';
import { SPEC } from '../models/spec-api.js';
import { RunStats } from '../models/stats.js';
import { linux618 } from '../spec/profiles/index.js';
import { now, peakRss } from './measure.js';

export interface Throughput { readonly ops: number; readonly ms: number; readonly opsPerSec: number; readonly peakRss: number; readonly failures: number }

export const emulatorThroughput = async (sequences = 400, length = 250): Promise<Throughput> => {
  const seqs = fc.sample(sequenceArb({ mix: MIXED, maxLength: length }), { numRuns: sequences, seed: 7 })
    .map((t) => resolveTemplates(t, EMULATOR_LIMITS, linux618));
  const stats = new RunStats();
  const rss = peakRss();
  let failures = 0;
  const t0 = now();
  for (const [i, ops] of seqs.entries()) {
    const r = await lockstep(SPEC, linux618, createEmulator({ profile: linux618, seed: i }), ops, stats);
    if (r.failure) failures++;
  }
  const ms = now() - t0;
  return { ops: stats.opsChecked, ms, opsPerSec: (stats.opsChecked / ms) * 1000, peakRss: rss.stop(), failures };
};
