/**
 * Issue 12, defect 8 on the native target itself (found by the hostile-op fuzz): whoever drives it
 * — a run, `replay --target native` of a pasted token, an agent — a sequence could make this
 * machine's kernel allocate without bound: a memfd fallocate of 2^62 bytes brought the OOM killer,
 * MADV_POPULATE_WRITE over a 2^40-byte mapping of a sparse memfd would have too, and a memslot's
 * metadata grows with its size. The native target now charges what each op can make the kernel
 * allocate and caps live VMs, fds and maps; an op past a limit is refused before it runs. (The
 * over-limit sizes here stay small enough that the old code survived them.)
 */
import { expect, it } from 'vitest';
import { createNativeTarget, NATIVE_TARGET_LIMITS } from '../../../adapters/native/index.js';
import { BadOpError, TargetLimitError } from '../../../spec/vocab/errors.js';
import { describeNative } from './_support.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/index.js';

const GIB = 1n << 30n;

describeNative('the native target\'s own resource limits', () => {
  it('bytes an op can make the kernel allocate are charged before it runs (fallocate, MADV_POPULATE, memslot metadata)', async () => {
    expect(NATIVE_TARGET_LIMITS.populateBytes).toBe(GIB);
    const t = await createNativeTarget();
    try {
      expect(await t.apply({ kind: 'createMemfd', id: 0, size: 4n * GIB })).toEqual({ kind: 'ok' });
      await expect(t.apply({ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: GIB + GIB / 2n })).rejects.toBeInstanceOf(TargetLimitError);
      await expect(t.apply({ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: 1n << 62n })).rejects.toThrow(/at most 1024 MiB populated per target/);
      // The same allocation from a forked child (the first npm test run with the child op drew a
      // hostile one of this size and the OOM killer took the suite): charged like the parent's.
      await expect(t.apply({ kind: 'child', act: { kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: GIB + GIB / 2n } })).rejects.toBeInstanceOf(TargetLimitError);
      await expect(t.apply({ kind: 'child', act: { kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: 1n << 62n } })).rejects.toThrow(/at most 1024 MiB populated per target/);
      // And the one inside an inotify watch (fdWatch): its first full test run drew a hostile one
      // (24 GiB of shmem, the OOM killer took the suite).
      await expect(t.apply({ kind: 'fdWatch', fd: 0, mode: 0, offset: 0n, len: 1n << 62n })).rejects.toThrow(/at most 1024 MiB populated per target/);
      // Nothing was allocated: the file's pages are still holes.
      expect(await t.apply({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * GIB, prot: 3n, shared: true })).toEqual({ kind: 'ok' });
      expect(await t.apply({ kind: 'mincore', map: 0, offset: 0n, pages: 4 })).toEqual({ kind: 'ok', value: [false, false, false, false] });
      await expect(t.apply({ kind: 'madvise', map: 0, offset: 0n, length: 4n * GIB, advice: 'POPULATE_WRITE' })).rejects.toBeInstanceOf(TargetLimitError);
      // What the generators ask for still runs; freeing (a punch) costs nothing.
      expect(await t.apply({ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: 64n * P })).toEqual({ kind: 'ok' });
      expect(await t.apply({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 4n * GIB })).toEqual({ kind: 'ok' });
      expect(await t.apply({ kind: 'createVm', id: 0, type: 0n })).toEqual({ kind: 'ok' });
      await expect(t.apply({
        kind: 'setMemoryRegion', vm: 0, v1: true, slot: 0, flags: 0, gpa: 0n, size: 1n << 40n,
        uaddr: { kind: 'map', map: 0, offset: 0n }, gmem: { kind: 'notOpen' }, gmemOffset: 0n,
      })).rejects.toBeInstanceOf(TargetLimitError);
      // The padded memslot request (SLOT-20) makes the same slot metadata: charged the same.
      await expect(t.apply({
        kind: 'setMemoryRegionPad', vm: 0, slot: 0, flags: 0, gpa: 0n, size: 1n << 40n,
        uaddr: { kind: 'map', map: 0, offset: 0n }, gmem: { kind: 'notOpen' }, gmemOffset: 0n, pad1: 1, pad2: [1n],
      })).rejects.toBeInstanceOf(TargetLimitError);
    } finally {
      await t.close();
    }
  });

  it('a malformed op through the limited target is still the target\'s BadOpError, not a stray TypeError', async () => {
    const t = await createNativeTarget();
    try {
      expect(await t.apply({ kind: 'createMemfd', id: 0, size: P })).toEqual({ kind: 'ok' });
      for (const len of [1.5, Number.NaN, '4096', undefined]) {
        await expect(t.apply({ kind: 'fileIo', fd: 0, call: 'write', offset: 0n, len, value: 0 } as never)).rejects.toBeInstanceOf(BadOpError);
      }
    } finally {
      await t.close();
    }
  });

  it('live VMs per target are capped; closing one makes room', async () => {
    const t = await createNativeTarget({ limits: { vms: 3 } });
    try {
      for (let i = 0; i < 3; i++) expect(await t.apply({ kind: 'createVm', id: i, type: 0n })).toEqual({ kind: 'ok' });
      await expect(t.apply({ kind: 'createVm', id: 3, type: 0n })).rejects.toThrow(/at most 3 VMs per target/);
      expect(await t.apply({ kind: 'closeVm', vm: 1 })).toEqual({ kind: 'ok' });
      expect(await t.apply({ kind: 'createVm', id: 3, type: 0n })).toEqual({ kind: 'ok' });
    } finally {
      await t.close();
    }
  });
});
