/**
 * mmapEx (the whole mmap flags word and a placement: MAP-17, MAP-18) on this machine's kernel,
 * through the native target on memfd, each step judged by the spec (linux-6.18-nogmem) and by the
 * emulator. The gmem answers (MAP-1/2 after a fixed placement, noexec) need guest_memfd: they run
 * in the properties wherever the kernel has it (gmemcheck vm) and in the emulator tests here.
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { MAP_FLAG as F, formatOp, formatOutcome, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { TargetLimitError } from '../../../spec/vocab/errors.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { spawnSync } from 'node:child_process';
import { describeNative, runOps, specMismatches } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';

const P = 4096n;
const ex = (id: number, flags: bigint, over?: number, length = 4n * P, prot = 3n, fd = 0): Op =>
  ({ kind: 'mmapEx', fd, id, offset: 0n, length, prot, flags, place: over === undefined ? { kind: 'any' } : { kind: 'over', map: over } });
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const store = (map: number, offset: bigint, value: number): Op => ({ kind: 'store', map, offset, value, onUserfault: 'COPY', fill: 0 });
const mincore = (map: number, pages: number): Op => ({ kind: 'mincore', map, offset: 0n, pages });
const S = F.SHARED;
const SV = F.SHARED_VALIDATE;

/** Every flag of the word alone with SHARED, SHARED_VALIDATE and PRIVATE; the edge bits; the types; populate; fixed placements. */
const scenario = (): Op[] => {
  const ops: Op[] = [{ kind: 'createMemfd', id: 0, size: 2n * P }];
  let id = 0;
  const bits = [0n, F['32BIT'], F.ABOVE4G, F.GROWSDOWN, F.DENYWRITE, F.EXECUTABLE, F.LOCKED, F.NORESERVE, F.POPULATE, F.NONBLOCK, F.STACK,
    F.HUGETLB, F.SYNC, F.UNINITIALIZED, F.HUGE_2MB, F.HUGE_1GB, F.ANONYMOUS, 0x200n, 0x400n, 1n << 21n, 1n << 31n, 1n << 32n, 1n << 63n, F.FIXED, F.FIXED_NOREPLACE];
  for (const type of [S, SV, F.PRIVATE]) for (const b of bits) ops.push(ex(id++, type | b));
  for (const type of [0n, 4n, 5n, 7n, F.DROPPABLE, 9n, 15n]) ops.push(ex(id++, type));
  // Populate: the first two pages (below EOF) come in, the rest (past EOF) does not, and the mmap still succeeds.
  const pop = id;
  ops.push(ex(id++, S | F.POPULATE), mincore(pop, 4), ex(id++, S | F.POPULATE | F.NONBLOCK), mincore(pop + 1, 4));
  ops.push(ex(id++, F.PRIVATE | F.POPULATE), mincore(pop + 2, 4), ex(id++, S | F.LOCKED), mincore(pop + 3, 4));
  ops.push({ kind: 'madvise', map: pop + 3, offset: 0n, length: P, advice: 'DONTNEED' }, ex(id++, S | F.POPULATE, undefined, 4n * P, 0n), mincore(pop + 4, 4));
  // Fixed placements over a mapping: NOREPLACE refuses, FIXED replaces (the data is the file's), a hint goes elsewhere.
  const base = id;
  ops.push(ex(id++, S), store(base, 0n, 0x11));
  ops.push(ex(id++, S | F.FIXED_NOREPLACE, base), load(base, 0n));
  ops.push(ex(id++, S | F.FIXED | F.FIXED_NOREPLACE, base), ex(id++, S, base), load(base, 0n));
  ops.push(ex(id++, SV | F.FIXED_NOREPLACE, base));
  const over = id;
  ops.push(ex(id++, F.PRIVATE | F.FIXED, base), load(base, 0n), load(over, 0n), store(over, 0n, 0x22), load(over, 0n));
  // Shorter than the mapping it covers; then over a dead map (placed anywhere, fixed bits cleared).
  const long = id;
  ops.push(ex(id++, S, undefined, 8n * P), ex(id++, S | F.FIXED, long, 2n * P), load(long, 0n), load(id - 1, 0n), load(id - 1, 2n * P));
  ops.push(ex(id++, S | F.FIXED, long), { kind: 'munmap', map: id - 1 }, ex(id++, S | F.FIXED, id - 2), load(id - 1, 0n));
  // Longer than the mapping it covers: the rest is the free gap after it. A refused type leaves it intact.
  const short = id;
  ops.push(ex(id++, S, undefined, P), ex(id++, S | F.FIXED | 0x4n, short, 8n * P), load(short, 0n), ex(id++, S | F.FIXED, short, 8n * P), load(id - 1, 7n * P));
  // Offsets, lengths and the fd.
  ops.push({ kind: 'mmapEx', fd: 0, id: id++, offset: 1n, length: P, prot: 3n, flags: S, place: { kind: 'any' } });
  ops.push(ex(id++, S, undefined, 0n), ex(id++, S, undefined, (1n << 64n) - 1n), ex(id++, S, undefined, 1n << 47n), ex(id++, S, undefined, P, 3n, 9));
  ops.push(ex(id++, S, undefined, P, 3n | (1n << 40n) | 8n), ex(id++, S | F.FIXED_NOREPLACE, undefined, P));
  return ops;
};

const judged = (ops: readonly Op[], observed: readonly Outcome[]): string[] => specMismatches(linux618NoGmem, ops, observed);

describeNative('mmapEx on this kernel (memfd, judged by the spec)', () => {
  it('every flag bit, type, populate and fixed placement answers as linux-6.18-nogmem allows, and as the emulator does', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    if (process.env.MMAPEX_DUMP) ops.forEach((o, i) => console.log(formatOp(o), '→', formatOutcome(observed[i]!)));
    expect(judged(ops, observed)).toEqual([]);
    const emu = createEmulator({ profile: linux618NoGmem, seed: 1 });
    const modelled: Outcome[] = [];
    for (const op of ops) modelled.push(await emu.apply(op));
    await emu.close();
    expect(modelled.map(formatOutcome)).toEqual(observed.map(formatOutcome));
    const text = observed.map(formatOutcome).join('\n');
    for (const e of ['EOPNOTSUPP', 'EEXIST', 'EINVAL', 'ENOMEM', 'EBADF']) expect(text).toContain(`errno ${e}`);
    expect(text).toContain('SIGBUS');
  });

  // The reproducer's op_mmap_ex (models/report/repro/runtime.c) issues the same calls: every step's
  // outcome code equals the native target's.
  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('mmapex', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });

  it('refuses a MAP_FIXED over a map that would reach memory the suite did not map, without issuing it', async () => {
    const t = await createNativeTarget();
    try {
      await t.apply({ kind: 'createMemfd', id: 0, size: P });
      // MAP_32BIT: the kernel ignores the hint and maps below 2 GiB, where no gap is kept after the map.
      await t.apply(ex(0, S | F['32BIT'], undefined, P));
      await expect(t.apply(ex(1, S | F.FIXED, 0, 1n << 40n))).rejects.toBeInstanceOf(TargetLimitError);
      expect(formatOutcome(await t.apply(load(0, 0n)))).toContain('ok');
    } finally {
      await t.close();
    }
  });
});
