/**
 * set_mempolicy_home_node (POL-23) on memfd and KVM_SET_USER_MEMORY_REGION2 with pads (SLOT-20) on
 * plain slots, on this machine's kernel through the native target — each step judged by the spec
 * (linux-6.18-nogmem). The gmem answers rest on kernel source (spec/catalogue/surface-homeslot-rules.ts).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { homeNodeScenario, memslotPadScenario } from './_homeslot-scenario.js';

describeNative('set_mempolicy_home_node and the memslot pads on this kernel (judged by the spec)', () => {
  it('every home-node call on a memfd mapping answers as linux-6.18-nogmem allows', async () => {
    const ops = homeNodeScenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome);
    // Each answer the rule names was met: EINVAL, ENOENT, EOPNOTSUPP and 0 after a BIND.
    for (const e of ['errno EINVAL', 'errno ENOENT', 'errno EOPNOTSUPP']) expect(text).toContain(e);
    expect(observed[ops.findIndex((o) => o.kind === 'mbind') + 1]).toEqual({ kind: 'ok' });
  });

  it('a memslot with pad words set answers as with zero pads (plain slots on kvm_pvm)', async () => {
    const ops = memslotPadScenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    expect(observed[3]).toEqual({ kind: 'ok' });
  });
});
