/**
 * The fd-level zoo (adapters/emulator/bugs-fd2.ts): with each planted bug of the rest of the fd-level calls
 * switched on, the fileops property must fail, shrink the counterexample to its shortest known
 * length and name a rule. These bugs are reached only through the new ops (fdDup, fdIoctl, fdAdvise,
 * fdPoll), so a kill here shows the widened vocabulary testing what it claims.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../adapters/emulator/index.js';
import { FD2_BUGS } from '../../adapters/emulator/bugs-fd2.js';
import type { BuggyTargets } from '../../models/mutants/hunt.js';
import { hunt } from '../../models/mutants/hunt.js';

const buggyEmulator: BuggyTargets = (profile, id) => async (seed) => createEmulator({ profile, seed, bugs: [id] });

describe('bug zoo: the rest of the fd-level calls', () => {
  for (const bug of FD2_BUGS) {
    it(`planted bug ${bug.id} is caught by ${bug.rule} and shrunk to ${bug.shortest} ops`, async () => {
      const r = await hunt(bug, buggyEmulator, 10_000, 1);
      expect(r.error).toBeUndefined();
      expect(r.killed).toBe(true);
      expect(r.shrunkLength).toBe(bug.shortest);
      expect(r.rule).toBe(bug.rule);
    });
  }
});
