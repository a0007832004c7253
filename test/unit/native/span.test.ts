/**
 * Issue 15, row E18 on this machine's kernel, through the native target on memfd, each step judged
 * by the spec (linux-6.18-nogmem): madvise, mprotect and mlock over a mapping's tail and the
 * anonymous pages mapped after it (MAP-26). The mapping's part answers first and its effects stay;
 * the anonymous VMA answers next (MADV_REMOVE: EINVAL after the tail was punched). gmem-only
 * answers need guest_memfd (gmemcheck vm).
 */
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op, type Outcome, type SpanCall } from '../../../spec/vocab/index.js';
import { TargetLimitError } from '../../../spec/vocab/errors.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { describeNative, ld, memfd, runOps, specMismatches, st } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';
import { run as runEmulator } from '../emulator/_fixtures.js';

const P = 4096n;
const map = (id: number, shared: boolean, length = 4n * P): Op => ({ kind: 'mmap', fd: 0, id, offset: 0n, length, prot: 3n, shared });
const span = (m: number, call: SpanCall, tail = 1, pages = 1): Op => ({ kind: 'spanRange', map: m, tail, pages, call });

const scenario = (): Op[] => [
  memfd(0, 4n * P), map(0, true), st(0, 3n * P, 7), st(0, 2n * P, 9),
  // 5: MADV_REMOVE punches page 3 and then meets the anonymous VMA: EINVAL; 6: page 3 reads 0, 7: page 2 kept.
  span(0, 'madvRemove'), ld(0, 3n * P), ld(0, 2n * P),
  // 8: MADV_FREE refuses the shared file VMA first (EINVAL), nothing freed; 9, 10: DONTNEED, WILLNEED ok.
  span(0, 'madvFree', 4, 4), span(0, 'madvDontneed', 2, 2), span(0, 'madvWillneed', 0, 0), ld(0, 2n * P),
  // 12: PROT_READ over the tail: a store there faults (13), one below it does not (14).
  span(0, 'protRead', 1, 3), st(0, 3n * P, 1), st(0, 2n * P, 1), span(0, 'protReadWrite', 4, 1), st(0, 3n * P, 2),
  span(0, 'protNone', 2, 1), ld(0, 2n * P), span(0, 'protReadWrite', 2, 1),
  span(0, 'mlock', 3, 2), span(0, 'munlock', 3, 2), span(0, 'mlockOnfault', 4, 4), span(0, 'munlock', 4, 4),
  // 24: a locked tail refuses MADV_REMOVE itself (EINVAL before anything is punched): the byte stays.
  span(0, 'mlock', 1, 1), span(0, 'madvRemove', 1, 1), ld(0, 3n * P), span(0, 'munlock', 1, 1),
  // 28: a private mapping is not shared-writable: EACCES from the mapping's own VMA.
  map(1, false), span(1, 'madvRemove', 2, 1), span(1, 'madvDontneed', 2, 1),
  { kind: 'munmap', map: 1 }, span(1, 'mlock'),
];

describeNative('MAP-26 on this kernel (memfd, judged by the spec)', () => {
  it('every step answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome);
    expect(text[4]).toBe('errno EINVAL');
    expect(text[5]).toBe('ok {value:0}');
    expect(text[6]).toBe('ok {value:9}');
    expect(text[7]).toBe('errno EINVAL');
    expect([text[8], text[9], text[11]]).toEqual(['ok', 'ok', 'ok']);
    expect(text[12]).toMatch(/^SIGSEGV/);
    expect(text[13]).toBe('ok');
    expect(text[24]).toBe('errno EINVAL');
    expect(text[25]).toBe('ok {value:2}');
    expect(text[28]).toBe('errno EACCES');
    expect(text[31]).toBe('errno EFAULT');
  });

  it('the emulator answers every step as this kernel', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    const modelled = await runEmulator(linux618NoGmem, ops);
    ops.forEach((op, i) => expect(formatOutcome(modelled[i]!), `step ${i + 1}`).toBe(formatOutcome(observed[i]!)));
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('span', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });

  it('pages after the map that are not free (an orphan tail) make the op not run, and they stay mapped with their data', async () => {
    const t = await createNativeTarget();
    try {
      // Map 0 of 8 pages; a MAP_FIXED of 4 pages over it leaves its tail mapped right after map 1.
      for (const op of [memfd(0, 8n * P), map(0, true, 8n * P), st(0, 4n * P, 5),
        { kind: 'mmapEx', fd: 0, id: 1, offset: 0n, length: 4n * P, prot: 3n, flags: 0x11n, place: { kind: 'over', map: 0 } } as Op]) await t.apply(op);
      await expect(t.apply(span(1, 'madvDontneed', 4, 1))).rejects.toBeInstanceOf(TargetLimitError);
      await expect(t.apply(span(1, 'madvRemove', 1, 4))).rejects.toBeInstanceOf(TargetLimitError);
      // The orphan tail still holds the byte (read through a fresh mapping of the same file page).
      await t.apply(map(2, true, 8n * P));
      expect(formatOutcome(await t.apply(ld(2, 4n * P)))).toBe('ok {value:5}');
    } finally {
      await t.close();
    }
  });

  it('after every call the anonymous pages are gone again: nothing is left mapped after the map', async () => {
    const t = await createNativeTarget();
    const calls: SpanCall[] = ['madvDontneed', 'madvRemove', 'madvFree', 'madvWillneed', 'protNone', 'protRead', 'protReadWrite', 'mlock', 'mlockOnfault', 'munlock'];
    try {
      for (const op of [memfd(0, 4n * P), map(0, true)]) await t.apply(op);
      const before = await t.apply({ kind: 'smaps', map: 0, offset: 4n * P });
      for (const c of calls) await t.apply(span(0, c, 4, 4));
      expect(formatOutcome(before)).toBe('ok null');
      expect(formatOutcome(await t.apply({ kind: 'smaps', map: 0, offset: 4n * P }))).toBe('ok null');
      expect(formatOutcome(await t.apply({ kind: 'smaps', map: 0, offset: 7n * P }))).toBe('ok null');
    } finally {
      await t.close();
    }
  });
});
