/**
 * Why this test? The addon used to convert whatever it got: a length of 2^64 + 4096 mapped one page
 * while the target recorded the full length (then loads and stores anywhere passed the guard), and a
 * mistyped field still issued the syscall. apply() now runs the boundary check first: a rejected op
 * is an InvalidOpError, and nothing was issued (the map handle never came to exist).
 */
import { expect, it } from 'vitest';
import { InvalidOpError, type Op } from '../../../spec/vocab/index.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { describeNative, memfd, openFds } from './_support.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';


describeNative('native apply() checks every op before the addon sees it', () => {
  it.each<[string, Op]>([
    ['an mmap length of 2^64 + 4096', { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: (1n << 64n) + P, prot: 3, shared: true }],
    ['a negative madvise length', { kind: 'madvise', map: 0, offset: 0n, length: -(1n << 62n), advice: 'DONTNEED' }],
    ['a number where a bigint belongs', { kind: 'ftruncate', fd: 0, size: 4096 } as unknown as Op],
    ['seven reserved words', { kind: 'createGmem', vm: 0, id: 1, size: P, flags: 0n, reserved: Array(7).fill(0n) }],
    ['a negative handle', { kind: 'close', fd: -1 }],
  ])('%s is rejected without a syscall', async (_what, bad) => {
    const t = await createNativeTarget();
    try {
      expect(await t.apply(memfd(0, P))).toEqual({ kind: 'ok' });
      const before = openFds();
      await expect(t.apply(bad)).rejects.toThrow(InvalidOpError);
      expect(openFds()).toBe(before);
      // No mapping was recorded: map 0 is still a dead handle (munmap of it is not issued: ok).
      expect(await t.apply({ kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 }))
        .toEqual({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: 0n });
    } finally {
      await t.close();
    }
  });
});
