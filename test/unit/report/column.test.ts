/**
 * A report column runs the one conformance pipeline: the failure a cell shows is the shrunk one,
 * the same case `gmemcheck run` (checkConformance) reports for the same seed.
 */
import { describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { setupTarget } from '../../../cli/targets.js';
import { runDomainCell } from '../../../models/html/run-column.js';
import { MIXES } from '../../../models/generate/mixes.js';
import { checkConformance, ConformanceError } from '../../../models/property.js';
import { RunStats } from '../../../models/stats.js';

/** A seed whose 300 short fileops sequences meet the planted bug (the mix's op kinds decide which do). */
const SEED = 3;

describe('report column', () => {
  it('shows the shrunk failure, the one checkConformance throws', async () => {
    const r = await setupTarget('emulator', { profile: linux618, bugs: ['punch-no-zero'] });
    if (!r.ok) throw new Error(r.reason);
    const cell = await runDomainCell(r.setup, 'fileops', { domains: ['fileops'], numRuns: 300, maxLength: 20, seed: SEED }, new RunStats());
    expect(cell.status).toBe('fail');
    const thrown = await checkConformance(
      { profile: r.setup.profile, makeTarget: r.setup.makeTarget, limits: r.setup.limits, mix: MIXES.fileops, maxLength: 20, excluded: r.setup.excluded },
      { numRuns: 300, seed: SEED },
    ).then(() => undefined, (e: unknown) => e);
    expect(thrown).toBeInstanceOf(ConformanceError);
    const shrunk = (thrown as ConformanceError).failure;
    expect(cell.failure?.steps.map((s) => s.op)).toEqual(shrunk.steps.map((s) => s.op));
    expect(shrunk.steps.length).toBeLessThanOrEqual(6);
  });
});
