/**
 * Branches on real threads (adapters/native/src/gm_par.c through parRun, NativeTarget.runBranches),
 * on memfd so that it runs on a kernel without guest_memfd too: the addon refuses malformed
 * arguments before any thread starts; branch ops observe well-formed, timed outcomes; a userfault
 * is answered by the calling thread for the op that raised it; a userfault nobody can answer is
 * bounded (PROT_NONE, kept by id, joined once it ends — never freed under a running thread); a branch
 * op that would leave its mapping is refused; and the target is done after its branches.
 */
import { expect, it } from 'vitest';
import { PAGE_SIZE as P, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetBrokenError } from '../../../spec/vocab/errors.js';
import { canRunBranches, type ParallelTarget } from '../../../spec/vocab/target.js';
import { loadBinding } from '../../../adapters/native/_internals/binding.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { describeNative, openFds } from './_support.js';

const memfdMap: Op[] = [{ kind: 'createMemfd', id: 0, size: 2n * P }, { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 2n * P, prot: 3n, shared: true }];
const load = (offset = 0n, fill = 0x55): Op => ({ kind: 'load', map: 0, offset, onUserfault: 'COPY', fill });

const withTarget = async (prefix: readonly Op[], fn: (t: ParallelTarget) => Promise<void>): Promise<void> => {
  const t = await createNativeTarget();
  try {
    expect(canRunBranches(t)).toBe(true);
    for (const op of prefix) await t.apply(op);
    await fn(t as ParallelTarget);
  } finally {
    await t.close();
  }
};

describeNative('native parallel branches', () => {
  it('parRun refuses malformed arguments before a thread starts', () => {
    const b = loadBinding().binding!;
    const run = b.parRun as (...a: unknown[]) => unknown;
    const op = [0, 0, 0, 0, 0, 0, 0];
    for (const args of [
      [[[op]], [], []], // too few
      [[], [], [], 100], // no branches
      [[[op], [op], [op], [op]], [], [], 100],
      [[[op, op, op, op, op]], [], [], 100],
      [[[[99, 0, 0, 0, 0, 0, 0]]], [], [], 100],
      [[[[1, 'x', 0, 0, 0, 0, 0]]], [], [], 100],
      [[[[1, 1n << 70n, 0, 0, 0, 0, 0]]], [], [], 100],
      [[[op]], 'x', [], 100],
      [[[op]], Array(9).fill(0), [], 100],
      [[[op]], [], [[1n]], 100],
      [[[op]], [], [], 0],
      [[[op]], [], [], 1e9],
    ]) expect(() => run(...args), JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).toThrow(/argument|expected|branch|op|uffd|range/);
  });

  it('a store and a load on two threads: timed, well-formed outcomes; the target is done afterwards', async () => {
    const before = openFds();
    await withTarget(memfdMap, async (t) => {
      const run = await t.runBranches([[{ kind: 'store', map: 0, offset: 5n, value: 7, onUserfault: 'COPY', fill: 0 }], [load(5n), { kind: 'fstat', fd: 0 }]]);
      const [[st], [ld, fs]] = run.branches as [[{ outcome: Outcome; start: number; end: number }], [{ outcome: Outcome; start: number; end: number }, { outcome: Outcome }]];
      expect(st!.outcome).toEqual({ kind: 'ok' });
      expect([0, 7]).toContain((ld!.outcome as unknown as { value: { value: number } }).value.value);
      expect(fs!.outcome).toMatchObject({ kind: 'ok', value: { size: 2n * P } });
      for (const s of [st!, ld!]) expect(s.start).toBeLessThanOrEqual(s.end);
      expect(run.ns).toBeGreaterThan(0);
      await expect(t.apply(load())).rejects.toBeInstanceOf(TargetBrokenError);
      await expect(t.runBranches([[load()]])).rejects.toBeInstanceOf(TargetBrokenError);
    });
    expect(openFds()).toBe(before);
  });

  it('a userfault is answered by the monitor for the op that raised it', async () => {
    await withTarget([...memfdMap, { kind: 'uffdCreate', id: 0, features: 0n }, { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 2n * P, mode: 1n }], async (t) => {
      const run = await t.runBranches([[load(0n, 0x55)], [load(P + 3n, 0x66)]]);
      expect(run.branches[0]![0]!.outcome).toMatchObject({ kind: 'uffd', event: { write: false, minor: false, offset: 0n }, resolve: { kind: 'ok' }, access: { kind: 'ok', value: { value: 0x55 } } });
      expect(run.branches[1]![0]!.outcome).toMatchObject({ kind: 'uffd', event: { offset: P }, access: { kind: 'ok', value: { value: 0x66 } } });
    });
  });

  it('a userfault nobody answers is bounded: the thread is never left running loose, and is joined once it can end', () => {
    const b = loadBinding().binding!;
    const fd = b.memfdCreate(P);
    const base = b.mmap(fd, 0n, P, 3n, true) as bigint;
    let uffd = b.uffdCreate(0n);
    expect(b.uffdRegister(uffd, base, P, 1n)).toBe(0);
    try {
      const t0 = Date.now();
      // A monitor that watches no uffd cannot answer or wake: after the deadline and the grace the
      // page is PROT_NONE and the run is kept by id, not freed.
      const r = b.parRun([[[1, base, 0, 0, 0, 0, 0]]], [], [[base, P]], 150);
      expect(r.timedOut).toBe(true);
      expect(typeof r.stuck).toBe('number');
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(b.parReap(r.stuck!, 0)).toBe(false);
      // Closing the uffd wakes the access; on the PROT_NONE page it faults (caught), and the thread ends.
      b.close(uffd);
      uffd = -1;
      expect(b.parReap(r.stuck!, 2000)).toBe(true);
      // With the uffd watched, an answer that fails (CONTINUE of a missing page) unregisters the page and the access completes.
      expect(b.mprotect(base, P, 3n)).toBe(0);
      uffd = b.uffdCreate(0n);
      expect(b.uffdRegister(uffd, base, P, 1n)).toBe(0);
      const r2 = b.parRun([[[1, base, 0, 1, 0, 0, 0]]], [uffd], [[base, P]], 1000);
      expect(r2.stuck).toBeUndefined();
      expect(r2.results?.[0]?.[0]?.[7]?.[2]).toBe(-14); // EFAULT
      expect(r2.results?.[0]?.[0]?.[6]).toBe(0);
    } finally {
      if (uffd >= 0) b.close(uffd);
      b.munmap(base, P);
      b.close(fd);
    }
  });

  it('a branch op that would leave its mapping is refused; one on a dead map gets its convention', async () => {
    await withTarget(memfdMap, async (t) => {
      await expect(t.runBranches([[load(2n * P)]])).rejects.toBeInstanceOf(BadOpError);
    });
    await withTarget([...memfdMap, { kind: 'munmap', map: 0 }], async (t) => {
      const run = await t.runBranches([[load()], [{ kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'DONTNEED' }]]);
      expect(run.branches[0]![0]!.outcome).toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: 0n });
      expect(run.branches[1]![0]!.outcome).toEqual({ kind: 'errno', errno: 'EFAULT' });
    });
  });
});
