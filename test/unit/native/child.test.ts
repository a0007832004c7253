/**
 * The forked child on this machine's kernel, through the native target on memfd (the gmem cases
 * need guest_memfd: the emulator tests carry them, test/unit/emulator/child.test.ts), each step
 * judged by the spec (linux-6.18-nogmem). The probe record
 * docs/probe-records/linux-6.18.44-nogmem-child.md (CHD-*) restates what this measures.
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { childScenario } from './_child-scenario.js';
import { loadBinding } from '../../../adapters/native/_internals/binding.js';
import { GM_BAD_ARG } from '../../../adapters/native/_internals/ops-fd.js';

describeNative('the forked child on this kernel (memfd, judged by the spec)', () => {
  it('every child load, store, fallocate, ftruncate and VM ioctl answers as linux-6.18-nogmem allows', async () => {
    const ops = childScenario();
    const observed = await runOps(ops);
    const bad = specMismatches(linux618NoGmem, ops, observed);
    expect(bad).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    // The paths really ran: a child's shared store seen by the parent, a DONTFORK hole, EIO, a child SIGBUS.
    expect(text).toContain('ok {value:34}');
    expect(text).toContain('SIGSEGV/SEGV_MAPERR');
    expect(text).toContain('SIGSEGV/SEGV_ACCERR');
    expect(text).toContain('SIGBUS');
    expect(text).toContain('errno EIO');
  });
});

describeNative('the child binding refuses what it cannot do safely', () => {
  it('an unknown action or a wait bound below 1 ms forks nothing (GM_BAD_ARG)', () => {
    const n = loadBinding().binding!;
    for (const kind of [-1, 5, 2 ** 31 - 1]) expect(n.child(kind, 0n, 0, -1, 0, 0n, 0n, 1000)).toBe(GM_BAD_ARG);
    for (const ms of [0, -1]) expect(n.child(4, 0n, 0, -1, 0, 0n, 0n, ms)).toBe(GM_BAD_ARG);
    // A real child on fd −1: the kernel's EBADF comes back through the pipe.
    expect(n.child(3, 0n, 0, -1, 0, 0n, 0n, 1000)).toBe(-9);
  });
});
