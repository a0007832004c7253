/**
 * MAP-30 on this machine's kernel (6.18.44, memfd): guard markers installed on a shared and a
 * private mapping, then every access path over them — loads and stores (SIGSEGV SEGV_MAPERR, even
 * past EOF), kernel accesses, O_DIRECT, futex, pins, POPULATE, mlock — a punch hole, MADV_REMOVE,
 * DONTNEED and a truncation (the markers stay), and GUARD_REMOVE (normal faults again). Each step
 * judged by the spec (linux-6.18-nogmem), and the signals checked by hand too.
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome } from '../../../spec/vocab/index.js';
import { guardScenario } from '../../support/guard-scenario.js';
import { describeNative, runOps, specMismatches } from './_support.js';

describeNative('guard markers on this kernel (memfd, judged by the spec)', () => {
  it('install, every access path, punch, truncate and remove answer as linux-6.18-nogmem allows', async () => {
    const ops = guardScenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome);
    // The loads on marked pages: SIGSEGV SEGV_MAPERR, past EOF too (not SIGBUS).
    expect(text[8]).toMatch(/SIGSEGV.*MAPERR/);
    expect(text[10]).toMatch(/SIGSEGV.*MAPERR/);
    // After the punch the marker still faults.
    expect(text[ops.findIndex((o) => o.kind === 'fallocate') + 1]).toMatch(/SIGSEGV.*MAPERR/);
  });
});
