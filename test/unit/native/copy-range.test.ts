/**
 * copyRange (row B24) on this machine's kernel, through the native target on memfd (the gmem
 * answers rest on kernel source; this host has no guest_memfd): copies within one memfd and between
 * two, the checks in their order, the bytes read back through mappings (obs:CCR-01..06). Each step
 * judged by the spec (linux-6.18-nogmem), and the C reproducer replays the same steps with the same
 * outcomes.
 */
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome } from '../../../spec/vocab/index.js';
import { populates } from '../../../adapters/limits.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';
import { copyRangeScenario, cr } from '../../support/copy-range-scenario.js';

describeNative('copy_file_range between two files of the sequence (memfd, judged by the spec)', () => {
  it('every step answers as linux-6.18-nogmem allows, and the copied bytes read back', async () => {
    const ops = copyRangeScenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    for (const want of ['errno EFBIG', 'count:5', 'count:92', 'count:4096', 'count:8192', 'errno EINVAL', 'errno EOVERFLOW', 'errno EFBIG', 'errno EBADF', 'value:9', 'value:7']) expect(text).toContain(want);
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = copyRangeScenario();
    const { diff, exit } = await reproAgainstNative('convcopy', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });

  it('a copy is charged as the destination pages it can allocate (an unaligned 16-page copy touches 17)', () => {
    expect(populates(cr(0, 1, 0n, 1n, 65536), () => 0n)).toBe(18n * 4096n);
    expect(populates(cr(0, 1, 0n, 1n, 0), () => 0n)).toBe(0n);
  });
});
