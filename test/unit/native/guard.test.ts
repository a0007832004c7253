/**
 * MAP-30 on this machine's kernel (6.18.44, memfd): guard markers installed on a shared and a
 * private mapping, then every access path over them — loads and stores (SIGSEGV SEGV_MAPERR, even
 * past EOF), kernel accesses, O_DIRECT, futex, pins, POPULATE, mlock — a punch hole, MADV_REMOVE,
 * DONTNEED and a truncation (the markers stay), and GUARD_REMOVE (normal faults again). Each step
 * judged by the spec (linux-6.18-nogmem), the signals checked by hand too, and the C reproducer
 * replays the same steps with the same outcomes.
 */
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome } from '../../../spec/vocab/index.js';
import { guardScenario } from '../../support/guard-scenario.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';

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
    // After GUARD_REMOVE the private mapping faults normally again: its own store reads back.
    expect(text[ops.length - 2]).toBe(formatOutcome({ kind: 'ok', value: { value: 4 } }));
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = guardScenario();
    const { diff, exit } = await reproAgainstNative('guard', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });
});

describeNative('guard markers and userfaultfd write protection', () => {
  // Measured with a standalone program on 6.18.44: a shmem page registered WP, write-protected
  // and zapped holds a uffd-wp marker, and MADV_GUARD_INSTALL over it never returned (killed
  // after 10 s). The native target refuses the op unrun rather than hang the process.
  it('GUARD_INSTALL on a mapping with a WP registration is refused before it runs (TargetLimitError)', async () => {
    const { createNativeTarget } = await import('../../../adapters/native/index.js');
    const { TargetLimitError } = await import('../../../spec/vocab/errors.js');
    const t = await createNativeTarget();
    try {
      await t.apply({ kind: 'createMemfd', id: 0, size: 4096n });
      await t.apply({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4096n, prot: 3n, shared: true });
      await t.apply({ kind: 'uffdCreate', id: 0, features: 0n });
      const reg = await t.apply({ kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 4096n, mode: 2n });
      expect(reg.kind).toBe('ok');
      await expect(t.apply({ kind: 'madvise', map: 0, offset: 0n, length: 4096n, advice: 'GUARD_INSTALL' })).rejects.toBeInstanceOf(TargetLimitError);
      // The target is still usable: the page faults in as usual.
      expect(formatOutcome(await t.apply({ kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 }))).toContain('ok');
    } finally {
      await t.close();
    }
  });
});
