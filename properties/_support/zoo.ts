/**
 * A family's bug zoo as a property suite: with each planted bug switched on, its domain's property
 * must fail, shrink the counterexample to the recorded shortest length and name the recorded rule.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../adapters/emulator/index.js';
import type { BugInfo } from '../../adapters/emulator/bugs.js';
import type { BuggyTargets } from '../../models/mutants/hunt.js';
import { hunt } from '../../models/mutants/hunt.js';

const buggyEmulator: BuggyTargets = (profile, id) => async (seed) => createEmulator({ profile, seed, bugs: [id] });

/**
 * `seeds`: the hunt seeds to try, in order, until one shrinks to the recorded shortest (default: seed
 * 1 only). fast-check's shrinker can stop in a local minimum on one seed; a suite that allows more
 * than one says which bug needs it and why.
 */
export const describeZoo = (title: string, bugs: readonly BugInfo[], seeds: readonly number[] = [1]): void => {
  describe(title, () => {
    for (const bug of bugs) {
      it(`planted bug ${bug.id} is caught by ${bug.rule} and shrunk to ${bug.shortest} ops`, async () => {
        let r = await hunt(bug, buggyEmulator, 10_000, seeds[0]!);
        for (const seed of seeds.slice(1)) {
          if (!r.killed || r.shrunkLength === bug.shortest) break;
          r = await hunt(bug, buggyEmulator, 10_000, seed);
        }
        expect(r.error).toBeUndefined();
        expect(r.killed).toBe(true);
        expect(r.shrunkLength).toBe(bug.shortest);
        expect(r.rule).toBe(bug.rule);
      });
    }
  });
};
