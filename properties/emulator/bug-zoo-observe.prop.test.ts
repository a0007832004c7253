/**
 * The observation zoo (adapters/emulator/bugs-observe.ts): with each planted bug of pagemap or smaps
 * switched on, its domain's property (mmap, lifetime) must fail, shrink the counterexample to its shortest known
 * length and name a rule. These bugs are reached only through the new ops (pagemap, smaps, fdInfo), so a
 * kill here shows the observation ops testing what they claim.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../adapters/emulator/index.js';
import { OBSERVE_BUGS } from '../../adapters/emulator/bugs-observe.js';
import type { BuggyTargets } from '../../models/mutants/hunt.js';
import { hunt } from '../../models/mutants/hunt.js';

const buggyEmulator: BuggyTargets = (profile, id) => async (seed) => createEmulator({ profile, seed, bugs: [id] });

describe('bug zoo: the observation ops', () => {
  for (const bug of OBSERVE_BUGS) {
    it(`planted bug ${bug.id} is caught by ${bug.rule} and shrunk to ${bug.shortest} ops`, async () => {
      const r = await hunt(bug, buggyEmulator, 10_000, 1);
      expect(r.error).toBeUndefined();
      expect(r.killed).toBe(true);
      expect(r.shrunkLength).toBe(bug.shortest);
      expect(r.rule).toBe(bug.rule);
    });
  }
});
