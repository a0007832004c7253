/**
 * UFD-21 on this machine's kernel through the native target, on memfd (6.18.44 has no
 * guest_memfd; the gmem form rests on kernel source, spec/catalogue/surface-scanwp-rules.ts):
 * PAGEMAP_SCAN's WP_MATCHING / CHECK_WPASYNC over a range registered WP by a WP_ASYNC uffd, each
 * step judged by the spec (linux-6.18-nogmem) and its answer pinned to what was measured.
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op } from '../../../spec/vocab/index.js';
import { SCANWP_EXPECT, scanWpOps } from '../../support/scanwp-ops.js';
import { describeNative, memfd, runOps, specMismatches } from './_support.js';

describeNative('PAGEMAP_SCAN write protection over an async-WP memfd range (judged by the spec)', () => {
  it('reports written pages, re-protects them, and a store clears the bit with no event', async () => {
    const ops: Op[] = [memfd(0, 8n * 4096n), ...scanWpOps()];
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    for (const [i, want] of Object.entries(SCANWP_EXPECT)) expect(formatOutcome(observed[Number(i) + 1]!), `step ${Number(i) + 1}`).toBe(want);
    // The stores on protected pages completed in the kernel (no userfault, no signal).
    for (const i of [9, 11, 14]) expect(formatOutcome(observed[i + 1]!)).toBe('ok');
  });
});
