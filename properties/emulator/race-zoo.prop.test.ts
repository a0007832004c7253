/**
 * The race zoo through the generator (fast subset; every race bug: `npm run mutants`, MUTANTS.md):
 * with one race bug on, the parallel property finds a counterexample on its own, shrinks it, and
 * the shrunk case replays exactly from its gmp1. token — the same outcomes, still unexplained.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator, RACE_BUGS } from '../../adapters/emulator/index.js';
import { resolveProfile } from '../../spec/profiles/index.js';
import { EMULATOR_LIMITS } from '../../models/generate/context.js';
import { checkParallel, ParallelConformanceError } from '../../models/parallel/property.js';
import { runCase } from '../../models/parallel/run.js';
import { SPEC } from '../../models/spec-api.js';
import { decodeParallelToken, parallelToken } from '../../models/report/parallel/token.js';

/** One bug the generator finds in about a second keeps `npm test` fast; every bug: `npm run mutants`. */
const SUBSET = ['race-fault-clear-twice'];

describe('race zoo (fast subset)', () => {
  for (const id of SUBSET) {
    it(`race bug ${id} is found by the generator, shrunk, and replays from its token`, async () => {
      const bug = RACE_BUGS.find((b) => b.id === id)!;
      const profile = resolveProfile(bug.profile);
      const e = await checkParallel(
        { profile, limits: EMULATOR_LIMITS, scheduled: true, makeTarget: async (seed) => createEmulator({ profile, seed, bugs: [id] }), minimise: { attempts: 100, timeMs: 1000 } },
        { numRuns: 20_000, seed: 1 },
      ).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(ParallelConformanceError);
      const f = (e as ParallelConformanceError).failure;
      expect(f.kind).toBe('parallel');
      if (f.kind !== 'parallel') return;
      const p = f.failure;
      expect(p.undecided).toBe(false);
      const token = parallelToken({ profile: profile.name, case: p.case, schedule: p.schedule!, targetSeed: p.targetSeed, bugs: [id] });
      const back = decodeParallelToken(token);
      const again = await runCase(SPEC, profile, createEmulator({ profile, seed: back.targetSeed!, bugs: [...back.bugs!] }), back.case, { schedule: back.schedule! });
      expect(again.lin?.ok).toBe(false);
      expect(again.branches.map((b) => b.map((s) => s.observed))).toEqual(p.branches.map((b) => b.map((s) => s.observed)));
    });
  }
});
