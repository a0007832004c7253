/**
 * UFFDIO_POISON on this machine's kernel (UFD-22), through the native target on memfd, each step
 * judged by the spec (linux-6.18-nogmem): the marker lands on an empty PTE and refuses a mapped
 * one (EEXIST), a range with a mapped page inside stops there (EAGAIN), past EOF is EFAULT, the
 * mode and the range are checked first; a poisoned page gives SIGBUS, fails every kernel access,
 * shows PM_SWAP in pagemap, survives a punch, and goes with MADV_DONTNEED or a COPY over it. The
 * gmem cases are the emulator's (no guest_memfd on this host).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { err, ok } from '../../../spec/vocab/index.js';
import { poisonScenario } from '../../support/uffdscan-ops.js';
import { describeNative, runOps, specMismatches } from './_support.js';

describeNative('UFFDIO_POISON on this kernel (memfd, judged by the spec)', () => {
  it('poison markers, their faults and their lifetime agree with linux-6.18-nogmem', async () => {
    const ops = poisonScenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    // The kernel really did it.
    expect(observed[5]).toEqual(err('ENOENT'));
    expect(observed[7]).toEqual(err('EINVAL'));
    expect(observed[11]).toEqual(ok({ count: 4096 }));
    expect(observed[12]).toEqual(err('EEXIST'));
    expect(observed[14]).toEqual(err('EAGAIN'));
    expect(observed[15]).toEqual(ok({ present: false, swap: true, file: false, exclusive: false, uffdWp: false, guard: false }));
    expect(observed[17]).toMatchObject({ kind: 'signal', signal: 'SIGBUS', offset: 0n });
    expect(observed[22]).toEqual(err('EHWPOISON'));
    expect(observed[26]).toMatchObject({ kind: 'signal', signal: 'SIGBUS' });
    expect(observed[28]).toMatchObject({ kind: 'ok', value: { swap: false } });
    expect(observed[31]).toEqual(ok({ value: 4 }));
    expect(observed[33]).toEqual(err('EFAULT'));
  });
});
