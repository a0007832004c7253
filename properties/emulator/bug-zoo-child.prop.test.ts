/**
 * The forked child's zoo (adapters/emulator/bugs-child.ts): with each planted bug switched on, its
 * domain's property must fail, shrink the counterexample to its shortest known length and name the
 * rule. These bugs are reached only through the `child` op, so a kill here shows the op testing
 * what it claims: what a forked child inherits (MAP-11, MAP-24) and what a conversion refuses it (SHR-5).
 */
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../adapters/emulator/index.js';
import { CHILD_BUGS } from '../../adapters/emulator/bugs-child.js';
import type { BuggyTargets } from '../../models/mutants/hunt.js';
import { hunt } from '../../models/mutants/hunt.js';

const buggyEmulator: BuggyTargets = (profile, id) => async (seed) => createEmulator({ profile, seed, bugs: [id] });

describe('bug zoo: the forked child and UFFDIO_MOVE', () => {
  for (const bug of CHILD_BUGS) {
    it(`planted bug ${bug.id} is caught by ${bug.rule} and shrunk to ${bug.shortest} ops`, async () => {
      const r = await hunt(bug, buggyEmulator, 10_000, 1);
      expect(r.error).toBeUndefined();
      expect(r.killed).toBe(true);
      expect(r.shrunkLength).toBe(bug.shortest);
      expect(r.rule).toBe(bug.rule);
    });
  }
});
