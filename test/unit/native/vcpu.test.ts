/**
 * The vCPU side on this machine's kernel (kvm_pvm, no guest_memfd), through the native target:
 * KVM_CREATE_VCPU ids and limits, the creation request on every kind of fd with NULL and with a
 * PROT_NONE page of the harness, KVM_PRE_FAULT_MEMORY validation and the shadow-paging answers
 * before and after the first memslot — each step judged by the spec under linux-6.18-nogmem. The
 * probe record docs/probe-records/linux-6.18.44-nogmem-vcpu.md (VC-*) restates what this measures.
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome } from '../../../spec/vocab/index.js';
import { describeNative, openFds, runOps, specMismatches } from './_support.js';
import { scenario } from './_vcpu-scenario.js';

describeNative('the vCPU side on this kernel (judged by the spec)', () => {
  it('every createVcpu, misused creation request and preFault answers as linux-6.18-nogmem allows', async () => {
    const before = openFds();
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome);
    // The paths really ran: the limits (obs:VC-01), each receiver's answer (VC-02), both shadow answers (VC-03).
    expect(text.slice(1, 3)).toEqual(['ok 1024', 'ok 4096']);
    expect(text.slice(3, 11)).toEqual(['ok', 'errno EEXIST', 'ok', 'errno EINVAL', 'errno EINVAL', 'errno EINVAL', 'errno EINVAL', 'ok']);
    expect(new Set(text)).toEqual(new Set(['ok', 'ok 1024', 'ok 4096', 'errno EEXIST', 'errno EINVAL', 'errno ENOTTY', 'errno EBADF', 'errno ENOSPC', 'errno EOPNOTSUPP']));
    expect(text.filter((t) => t === 'errno ENOSPC').length).toBe(3);
    expect(openFds()).toBe(before);
  });
});
