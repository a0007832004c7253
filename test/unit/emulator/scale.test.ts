// Scale: a 2^62-byte file with thousands of ranges. Work is asserted through the kernel's range-loop
// counter and the size of its structures, never through timing.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { MPOL } from '../../../spec/vocab/index.js';
import { step } from '../../../adapters/emulator/index.js';
import { Kernel } from '../../../adapters/emulator/kernel.js';
import { falloc, gmem, KEEP, load, mmap, lv, okv, P, PUNCH, SERIES, store, vm } from './_fixtures.js';

describe('emulator: scale', () => {
  it('2^62-byte file: whole-file fallocate, 2000 punches, 2000 policies, stores and a whole-file punch stay cheap', () => {
    const k = new Kernel(SERIES, 1, []);
    const size = 1n << 62n;
    const stride = 1n << 40n;
    const apply = (op: Op) => step(k, op);
    expect(apply(vm())).toEqual(okv());
    expect(apply(gmem(0, size))).toEqual(okv());
    expect(apply(falloc(0, KEEP, 0n, size))).toEqual(okv());
    expect(apply(mmap(0, 0, 1n << 46n, size - (1n << 46n)))).toEqual(okv());
    for (let i = 0n; i < 2000n; i += 1n) {
      expect(apply(falloc(0, PUNCH, i * stride, 64n * P))).toEqual(okv());
      const off = i * (1n << 33n);
      expect(apply({ kind: 'mbind', map: 0, offset: off, length: P, mode: BigInt(MPOL.BIND), nodes: 1n, flags: 0 })).toEqual(okv());
      expect(apply(store(0, off + 7n, Number(i % 200n)))).toEqual(okv());
    }
    const inode = [...k.fds.values()][0]!.inode;
    // 2000 extents between the holes (the first hole is at 0), each split once by a materialised folio.
    expect(inode.alloc.size).toBe(2000 + 2000);
    expect(inode.sharedPolicy.size).toBe(2000);
    expect(inode.folios.size).toBe(2000);
    expect(apply(load(0, (1999n << 33n) + 7n))).toEqual(lv(1999 % 200));
    expect(apply({ kind: 'getMempolicy', map: 0, offset: 1999n << 33n, query: 'ADDR' })).toEqual(okv({ mode: MPOL.BIND, nodes: 1n }));
    expect(apply({ kind: 'mincore', map: 0, offset: 1999n << 33n, pages: 2 })).toEqual(okv([true, false]));
    expect(apply(falloc(0, PUNCH, 0n, size))).toEqual(okv());
    expect(inode.alloc.size).toBe(0);
    expect(inode.folios.size).toBe(0);
    expect(apply(load(0, 7n))).toEqual(lv(0));
    // Each punch or allocation loops over the smaller of its range and the folios it could touch.
    expect(k.work).toBeLessThan(2000 * 64 * 3 + 10_000);
  });
});
