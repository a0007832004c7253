/**
 * The NUMA ops on this machine's kernel, through the native target on memfd (the gmem answers rest
 * on kernel source: spec/catalogue/surface-numa-rules.ts): get_mempolicy with every edge of its
 * flags word, and the numa_maps line after faults, a MAP_PRIVATE copy, mbind, a task policy and a
 * second mapping — each step judged by the spec (linux-6.18-nogmem).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { numaScenario } from './_numa-scenario.js';

describeNative('the NUMA ops on this kernel (memfd, judged by the spec)', () => {
  it('every get_mempolicy flags word and numa_maps line answers as linux-6.18-nogmem allows', async () => {
    const ops = numaScenario();
    const observed = await runOps(ops);
    const bad = specMismatches(linux618NoGmem, ops, observed);
    expect(bad).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    expect(text).toContain('EINVAL');
    expect(text).toContain('policy:bind:0');
    expect(text).toContain('file:/memfd:gmemcheck\\040(deleted)');
  });
});
