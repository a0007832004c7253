/**
 * Partial munmap (MAP-20) on this machine's kernel, through the native target on memfd (gmem's VMA
 * split is the generic one: spec/catalogue/surface-mmrange-rules.ts): cuts at the head, in the
 * middle and at the tail, unaligned and zero lengths, ranges below and past the mapping, then
 * loads, stores, smaps, pagemap, mincore, mlock, madvise and uffd through both pieces — each step
 * judged by the spec (linux-6.18-nogmem), and the C reproducer replaying the same steps.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches, st, ld } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';

const P = 4096n;
const cut = (map: number, offset: bigint, length: bigint, id: number): Op => ({ kind: 'munmapPart', map, offset, length, id });
const sm = (map: number, offset: bigint): Op => ({ kind: 'smaps', map, offset });
const pm = (map: number, offset: bigint): Op => ({ kind: 'pagemap', map, offset });

const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 16n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true },
  st(0, 0n, 1), st(0, 3n * P, 3), st(0, 6n * P, 6),
  { kind: 'mlock', map: 0, offset: 5n * P, length: 3n * P, call: 'MLOCK', flags: 0 },
  // The EINVAL checks first: an unaligned start, a zero length, a length that rounds to 0, one that wraps.
  cut(0, 1n, P, 20), cut(0, 0n, 0n, 21), cut(0, 0n, (1n << 64n) - 1n, 22), cut(0, 2n * P, (1n << 64n) - P, 23),
  // A page in the middle: map 0 keeps pages 0..1, map 1 gets pages 3..7 (an unaligned length rounds up).
  cut(0, 2n * P, P + 1n, 1),
  ld(0, 0n), ld(0, P), ld(0, 2n * P), sm(0, 0n), pm(0, 0n), pm(0, 2n * P),
  ld(1, 0n), ld(1, 3n * P), st(1, P, 9), ld(1, 5n * P), sm(1, 0n), sm(1, 2n * P), pm(1, 0n), pm(1, 2n * P),
  { kind: 'mincore', map: 1, offset: 0n, pages: 5 }, { kind: 'mincore', map: 0, offset: 0n, pages: 3 },
  // The data stays the file's: a second mapping sees the stores through both pieces.
  { kind: 'mmap', fd: 0, id: 2, offset: 0n, length: 8n * P, prot: 1n, shared: true },
  ld(2, 0n), ld(2, 3n * P), ld(2, 4n * P), ld(2, 6n * P),
  // The head of map 1 (its pages 0..1): map 1 dies, map 3 gets the rest (still locked).
  cut(1, 0n, 2n * P, 3), ld(1, 0n), ld(3, 0n), ld(3, P), sm(3, 0n), { kind: 'msync', map: 3, offset: 0n, length: P, flags: 2 },
  // Its tail, past its end: map 3 keeps one page, no new piece (map 4 stays dead).
  cut(3, P, 8n * P, 4), ld(3, 0n), ld(3, P), ld(4, 0n), sm(3, 0n),
  // Past the mapping, below it, a dead handle: nothing of the mapping goes.
  cut(0, 4n * P, P, 5), cut(0, -P, 2n * P, 6), ld(0, 0n), ld(0, P), ld(5, 0n), ld(6, 0n), cut(1, 0n, P, 7),
  // madvise and uffd on a piece, then the whole of the last pieces.
  { kind: 'madvise', map: 3, offset: 0n, length: P, advice: 'DONTNEED' }, pm(3, 0n),
  { kind: 'uffdCreate', id: 0, features: 0n },
  { kind: 'mmap', fd: 0, id: 8, offset: 0n, length: 4n * P, prot: 3n, shared: true },
  { kind: 'uffdRegister', uffd: 0, map: 8, offset: 0n, length: 4n * P, mode: 1n },
  cut(8, P, P, 9), sm(8, 0n), sm(9, 0n), ld(9, 0n), ld(9, P),
  cut(0, 0n, 2n * P, 11), ld(0, 0n), cut(3, 0n, P, 12), ld(3, 0n), ld(2, 6n * P),
];

describeNative('partial munmap on this kernel (memfd, judged by the spec)', () => {
  it('every cut and every access through the pieces answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome);
    // The cuts really happened: the range faults through the first piece, the second piece keeps
    // its data, its lock (smaps Locked, msync MS_INVALIDATE EBUSY) and its uffd registration.
    expect(text.filter((t) => t.startsWith('errno EINVAL')).length).toBeGreaterThanOrEqual(4);
    expect(text).toContain('SIGSEGV/SEGV_MAPERR at map offset 0x2000');
    expect(text).toContain('ok {value:6}');
    expect(text).toContain('errno EBUSY');
    const all = text.join('\n');
    expect(all).toMatch(/start:0x0, end:0x2000, perms:rw-s, offset:0x0,/);
    expect(all).toMatch(/locked:12/);
    expect(all).toMatch(/offset:0x2000, .*flags:\[rd,wr,sh,mr,mw,me,ms,um\]/);
    expect(all).toContain('userfault READ');
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('munmap-part', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });
});
