/**
 * UFD-21 on this machine's kernel through the native target, on memfd (6.18.44 has no
 * guest_memfd; the gmem form rests on kernel source, spec/catalogue/surface-scanwp-rules.ts):
 * PAGEMAP_SCAN's WP_MATCHING / CHECK_WPASYNC over a range registered WP by a WP_ASYNC uffd, each
 * step judged by the spec (linux-6.18-nogmem) and its answer pinned to what was measured.
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, PM_SCAN_FLAG, UFFD_FEATURE, UFFD_MODE, type Op } from '../../../spec/vocab/index.js';
import { scan } from '../../support/procobs-ops.js';
import { SCANWP_EXPECT, scanWpOps } from '../../support/scanwp-ops.js';
import { spawnSync } from 'node:child_process';
import { reproAgainstNative } from './_repro-diff.js';
import { describeNative, madv, map, memfd, runOps, specMismatches } from './_support.js';

describeNative('PAGEMAP_SCAN write protection over an async-WP memfd range (judged by the spec)', () => {
  it('reports written pages, re-protects them, and a store clears the bit with no event', async () => {
    const ops: Op[] = [memfd(0, 8n * 4096n), ...scanWpOps()];
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    for (const [i, want] of Object.entries(SCANWP_EXPECT)) expect(formatOutcome(observed[Number(i) + 1]!), `step ${Number(i) + 1}`).toBe(want);
    // The stores on protected pages completed in the kernel (no userfault, no signal).
    for (const i of [9, 11, 14]) expect(formatOutcome(observed[i + 1]!)).toBe('ok');
  });

  it('a guard marker takes the uffd-wp bit from WP_MATCHING and loses it with GUARD_REMOVE', async () => {
    const ops: Op[] = [
      memfd(0, 4n * 4096n), map(0, 0, 4n * 4096n), madv(0, 4096n, 4096n, 'GUARD_INSTALL'),
      { kind: 'uffdCreate', id: 0, features: UFFD_FEATURE.WP_ASYNC },
      { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 4n * 4096n, mode: UFFD_MODE.WP },
      scan({ flags: PM_SCAN_FLAG.WP_MATCHING }), scan({ flags: PM_SCAN_FLAG.WP_MATCHING }), madv(0, 4096n, 4096n, 'GUARD_REMOVE'), scan(),
    ];
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    expect(observed.slice(5).map(formatOutcome)).toEqual([
      'ok {regions:[[0x0,0x1000,3],[0x1000,0x2000,275],[0x2000,0x4000,3]], walkEnd:0x4000}',
      'ok {regions:[[0x0,0x1000,17],[0x1000,0x2000,273],[0x2000,0x4000,17]], walkEnd:0x4000}',
      'ok', 'ok {regions:[[0x0,0x1000,17],[0x1000,0x2000,3],[0x2000,0x4000,17]], walkEnd:0x4000}',
    ]);
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops: Op[] = [memfd(0, 8n * 4096n), ...scanWpOps()];
    const { diff, exit } = await reproAgainstNative('scanwp', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });
});
