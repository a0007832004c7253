/**
 * Issue 15, row E09 (mremap, MAP-10, MAP-21) on this machine's kernel, through the native target on
 * memfd, each step judged by the spec (linux-6.18-nogmem) and compared with the emulator and the C
 * reproducer; then the safety of the op: a hostile mremap never unmaps or moves memory the suite did
 * not map (a FIXED target longer than its map is not run when a foreign VMA lies in its way; under
 * `to: any` MREMAP_FIXED is cleared, so nothing is ever placed at address 0). gmem-only answers (the
 * VM_DONTEXPAND proposal) need guest_memfd: checked on the emulator (test/unit/emulator/mremap.test.ts).
 */
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { TargetLimitError } from '../../../spec/vocab/errors.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { describeNative, ld, map, memfd, runOps, specMismatches, st } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';
import { run as runEmulator } from '../emulator/_fixtures.js';

const P = 4096n;
const M = 1n;
const F = 2n;
const D = 4n;
type To = { kind: 'any' } | { kind: 'over'; map: number };
const ANY: To = { kind: 'any' };
const remap = (m: number, id: number, newLength: bigint, flags: bigint, to: To = ANY, oldSize: 'whole' | 'zero' = 'whole'): Op =>
  ({ kind: 'mremap', map: m, id, oldSize, newLength, flags, to });

/** Map ids: 0.. as created; each mremap creates the next one. */
const scenario = (): Op[] => [
  memfd(0, 3n * P),
  map(0, 0, 2n * P), st(0, 0n, 11), st(0, P, 12),
  // Refusals of check_mremap_params (MAP-21): unknown bits, new length 0, FIXED without MAYMOVE, DONTUNMAP resizing.
  remap(0, 1, 2n * P, 8n), remap(0, 2, 2n * P, M | (1n << 32n)), remap(0, 3, 2n * P, 1n << 63n), remap(0, 4, 0n, M),
  remap(0, 5, 2n * P, F, { kind: 'over', map: 0 }), remap(0, 6, 4n * P, M | D),
  // Grow in place into the free gap (MAP-10): same address, data kept, the page past EOF SIGBUS.
  remap(0, 7, 4n * P, 0n), ld(7, 0n), ld(7, P), ld(7, 2n * P), ld(7, 3n * P),
  // Shrink in place: the tail is gone.
  remap(7, 8, P, 0n), ld(8, 0n), ld(8, P),
  // old_size 0 of a shared map: a second mapping of the same pages; the original stays.
  remap(8, 9, 2n * P, M, ANY, 'zero'), st(9, 0n, 21), ld(8, 0n), ld(9, P),
  // DONTUNMAP: the data moves with the PTEs, the old mapping stays (and refaults the shared page).
  remap(9, 10, 2n * P, M | D), ld(10, 0n), ld(9, 0n), st(9, P, 22), ld(10, P),
  // A private map: old_size 0 is EINVAL; its private copy moves with MAYMOVE|FIXED over another map.
  map(11, 0, P, 3, false), st(11, 0n, 33), remap(11, 12, P, M, ANY, 'zero'),
  map(13, 0, 2n * P), remap(11, 14, P, M | F, { kind: 'over', map: 13 }), ld(14, 0n), ld(13, 0n), ld(11, 0n),
  // A map split in two VMAs (mlock of its head) moves whole with FIXED and no size change (remap_move).
  map(15, 0, 2n * P), { kind: 'mlock', map: 15, offset: 0n, length: P, call: 'MLOCK', flags: 0 }, map(16, 0, 2n * P),
  remap(15, 17, 2n * P, M | F, { kind: 'over', map: 16 }), ld(17, P), ld(15, 0n),
  // ... but a grow of it is bounded by the first VMA: EFAULT.
  remap(17, 18, 4n * P, M),
  // old_size 0 with FIXED onto its own address: the fixed unmap removes the map, then EFAULT.
  map(19, 0, P), remap(19, 20, P, M | F, { kind: 'over', map: 19 }, 'zero'), ld(19, 0n),
  // Under `to: any` MREMAP_FIXED is cleared (CONVENTIONS.md): MAYMOVE alone, the same size, in place.
  map(21, 0, P), remap(21, 22, P, M | F), ld(22, 0n),
];

describeNative('MAP-10 and MAP-21 on this kernel (memfd, judged by the spec)', () => {
  it('every step answers as linux-6.18-nogmem allows, and the kernel does what the row measured', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome);
    if (process.env.MREMAP_DBG) console.log(text.map((t, i) => `${i + 1} ${t}`).join('\n'));
    const at = (i: number): string => text[i - 1]!;
    // Steps are 1-based as in reports.
    expect([at(5), at(6), at(7), at(8), at(9), at(10)]).toEqual(Array(6).fill('errno EINVAL'));
    expect(at(11)).toBe('ok {moved:false}');
    expect([at(12), at(13)]).toEqual(['ok {value:11}', 'ok {value:12}']);
    expect(at(14)).toBe('ok {value:0}');
    expect(at(15)).toMatch(/^SIGBUS/);
    expect(at(16)).toBe('ok {moved:false}');
    expect(at(18)).toMatch(/^SIGSEGV\/SEGV_MAPERR/);
    expect(at(19)).toBe('ok {moved:true}');
    expect(at(21)).toBe('ok {value:21}');
    expect(at(23)).toBe('ok {moved:true}');
    expect([at(24), at(25), at(27)]).toEqual(['ok {value:21}', 'ok {value:21}', 'ok {value:22}']);
    expect(at(30)).toBe('errno EINVAL');
    expect(at(32)).toBe('ok {moved:true}');
    expect(at(33)).toBe('ok {value:33}');
    expect(at(34)).toMatch(/^SIGSEGV\/SEGV_MAPERR/);
    expect(at(35)).toMatch(/^SIGSEGV\/SEGV_MAPERR/);
    // The split map moved whole: its second VMA's page (written through map 9) is at the target.
    expect([at(39), at(40)]).toEqual(['ok {moved:true}', 'ok {value:22}']);
    expect(at(41)).toMatch(/^SIGSEGV\/SEGV_MAPERR/);
    expect(at(42)).toBe('errno EFAULT');
    expect(at(44)).toBe('errno EFAULT');
    expect(at(45)).toMatch(/^SIGSEGV\/SEGV_MAPERR/);
    expect([at(47), at(48)]).toEqual(['ok {moved:false}', 'ok {value:21}']);
  });

  it('the emulator answers every step as this kernel', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    const modelled = await runEmulator(linux618NoGmem, ops);
    ops.forEach((op, i) => expect(formatOutcome(modelled[i]!), `step ${i + 1}`).toBe(formatOutcome(observed[i]!)));
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('mremap', ops, await runOps(ops));
    if (process.env.MREMAP_DBG) console.log(diff);
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });

  it('a FIXED target whose range reaches memory the suite does not own is not run, and that memory stays mapped', async () => {
    const t = await createNativeTarget();
    try {
      for (const op of [memfd(0, P), map(0, 0, P), map(1, 0, P), st(1, 0n, 5), map(2, 0, P)]) await t.apply(op);
      // 2^40 bytes from map 1's base cover map 2 (the next arena slot) and whatever follows: refused before the call.
      await expect(t.apply(remap(0, 3, 1n << 40n, M | F, { kind: 'over', map: 1 }))).rejects.toBeInstanceOf(TargetLimitError);
      await expect(t.apply(remap(0, 3, 1n << 46n, M | F | D, { kind: 'over', map: 1 }))).rejects.toBeInstanceOf(TargetLimitError);
      expect(formatOutcome(await t.apply(ld(1, 0n)))).toBe('ok {value:5}');
      expect(formatOutcome(await t.apply(ld(0, 0n)))).toBe('ok {value:5}');
    } finally {
      await t.close();
    }
  });

  it('every hostile argument mix leaves Node\'s own memory alone (the old range is the map\'s own, new_addr 0 never fixed)', async () => {
    const t = await createNativeTarget();
    const lens = [0n, 1n, P, 3n * P, 1n << 31n, 1n << 47n, (1n << 47n) + P, (1n << 63n), (1n << 64n) - 1n];
    const flagWords = [0n, M, F, D, M | F, M | D, M | F | D, 8n, 1n << 31n, 1n << 32n, (1n << 64n) - 1n];
    let id = 2;
    try {
      await t.apply(memfd(0, P));
      await t.apply(map(0, 0, P));
      await t.apply(st(0, 0n, 9));
      for (const len of lens) {
        for (const fl of flagWords) {
          for (const oldSize of ['whole', 'zero'] as const) {
            const src = id;
            await t.apply(map(src, 0, 2n * P));
            id += 1;
            // new_addr 0 (any): MREMAP_FIXED is cleared, so only the kernel's own choices happen. A
            // growth past the populate budget is refused before it runs (adapters/limits.ts).
            await t.apply(remap(src, id, len, fl, ANY, oldSize)).catch((e: unknown) => { if (!(e instanceof TargetLimitError)) throw e; });
            id += 1;
          }
        }
      }
      // Node is alive and the suite's first map still holds its data.
      expect(formatOutcome(await t.apply(ld(0, 0n)))).toBe('ok {value:9}');
    } finally {
      await t.close();
    }
  });
});
