/**
 * The suite's power, fast subset (the whole zoo: `npm run mutants`). With one planted kernel bug
 * switched on in the emulator, the domain property must fail, shrink the counterexample to the
 * shortest known length, and report a failure that names a rule. A suite that lets these pass
 * could not be trusted to catch the same bug in a real kernel.
 */
import { describe, expect, it } from 'vitest';
import { BUGS, createEmulator } from '../../adapters/emulator/index.js';
import type { BuggyTargets } from '../../models/mutants/hunt.js';
import { hunt } from '../../models/mutants/hunt.js';

const SUBSET = [
  'punch-no-zero', 'pol-query-task', 'alloc-past-eof', 'mmap-private-accepted', 'bind-overlap-accepted',
  'uffd-register-gmem-618', 'gmem-cloexec', 'eof-fault-zero', 'fsync-ok', 'gmem-slot-reissue-ok',
  // Reached only through the VMM memslot layout and a hot file page (models/generate): guest-side
  // LVL-1, and a report whose minimal form needs two mappings merged (models/minimise.ts).
  'lvl-from-host', 'dontneed-frees',
];

/**
 * Bugs a second rule also catches, with the shortest counterexample through it: the hunt shrinks
 * whichever failure it meets first. dontneed-frees also zaps the PTEs of another mapping of the
 * freed page, which the smaps observation shows (its Rss) in 7 ops: createVm, createGmem, two
 * mmaps, a store through the second, DONTNEED through the first, smaps of the second.
 */
const ALSO_CAUGHT_BY: Readonly<Record<string, { readonly rule: string; readonly shortest: number }>> = {
  'dontneed-frees': { rule: 'MAP-38', shortest: 7 },
};

const buggyEmulator: BuggyTargets = (profile, id) => async (seed) => createEmulator({ profile, seed, bugs: [id] });

describe('bug zoo (fast subset)', () => {
  for (const id of SUBSET) {
    it(`planted bug ${id} is caught and shrunk to its shortest known counterexample`, async () => {
      const bug = BUGS.find((b) => b.id === id);
      expect(bug, `zoo has ${id}`).toBeDefined();
      const r = await hunt(bug!, buggyEmulator, 10_000, 1);
      expect(r.error).toBeUndefined();
      expect(r.killed).toBe(true);
      const also = ALSO_CAUGHT_BY[id];
      expect(r.shrunkLength).toBe(also !== undefined && r.rule === also.rule ? also.shortest : bug!.shortest);
      expect(r.rule).toMatch(/^[A-Z]+-/);
    });
  }

  it('a bug not found within the time budget survives, as a result and not an error', async () => {
    // lvl-from-host needs hundreds of cases (MUTANTS.md); 1 ms allows a handful at most.
    const bug = BUGS.find((b) => b.id === 'lvl-from-host')!;
    const r = await hunt(bug, buggyEmulator, 10_000, 1, 1);
    expect(r.error).toBeUndefined();
    expect(r.killed).toBe(false);
  });
});
