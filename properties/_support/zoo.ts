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

export const describeZoo = (title: string, bugs: readonly BugInfo[]): void => {
  describe(title, () => {
    for (const bug of bugs) {
      it(`planted bug ${bug.id} is caught by ${bug.rule} and shrunk to ${bug.shortest} ops`, async () => {
        const r = await hunt(bug, buggyEmulator, 10_000, 1);
        expect(r.error).toBeUndefined();
        expect(r.killed).toBe(true);
        expect(r.shrunkLength).toBe(bug.shortest);
        expect(r.rule).toBe(bug.rule);
      });
    }
  });
};
