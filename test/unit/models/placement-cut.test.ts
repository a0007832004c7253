/**
 * An op the target cannot place (TargetPlacementError: spanRange finds the pages after a mapping
 * taken) ends its sequence as "ended early", not the run with an infrastructure error; any other
 * harness error still breaks the run. A wrapper makes the emulator refuse every store that way.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { EMULATOR_LIMITS } from '../../../models/generate/context.js';
import { MIXES } from '../../../models/generate/mixes.js';
import { checkConformance, InfrastructureError } from '../../../models/property.js';
import { RunStats } from '../../../models/stats.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { TargetBrokenError, TargetPlacementError } from '../../../spec/vocab/errors.js';
import type { Target } from '../../../spec/vocab/target.js';

const refusing = (Err: typeof TargetPlacementError | typeof TargetBrokenError) => async (seed: number): Promise<Target> => {
  const t = await createEmulator({ profile: linux618, seed });
  return new Proxy(t, { get: (o, k) => (k === 'apply' ? (op: { kind: string }) => (op.kind === 'store' ? Promise.reject(new Err('no room after the map')) : o.apply(op as never)) : Reflect.get(o, k)) });
};
const opts = (makeTarget: (seed: number) => Promise<Target>) => ({ profile: linux618, mix: MIXES.mmap, maxLength: 20, limits: EMULATOR_LIMITS, makeTarget });

describe('a refused placement ends the sequence, not the run', () => {
  it('TargetPlacementError: the run passes and counts the sequences that ended early', async () => {
    const stats = await checkConformance(opts(refusing(TargetPlacementError)), { numRuns: 60, seed: 3 }, new RunStats());
    expect(stats.sequences).toBe(60);
    expect(stats.cut).toBeGreaterThan(0);
  });
  it('any other harness error is still an infrastructure error', async () => {
    await expect(checkConformance(opts(refusing(TargetBrokenError)), { numRuns: 60, seed: 3 }, new RunStats())).rejects.toBeInstanceOf(InfrastructureError);
  });
});
