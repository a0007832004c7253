import { describe, it, expect } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { upstream } from '../../../spec/profiles/upstream.js';
import { noDirectMapV12 } from '../../../spec/profiles/series.js';
import { withVariant } from '../../../spec/profiles/index.js';
import { GMEM_ST_MODE, err, ok } from '../../../spec/vocab/index.js';

const gmem = (id: number, size: bigint, flags: bigint, vm = 0, reserved: bigint[] = []) =>
  ({ kind: 'createGmem', vm, id, size, flags, reserved }) as const;

describe('creation (CRE)', () => {
  it('CRE-2/3/4: flags ⊆ cap 244, size > 0, aligned, < 2^63', () => {
    const d = driver(linux618);
    expect(d.one({ kind: 'createVm', id: 0, type: 0n })).toEqual(ok());
    expect(d.one({ kind: 'createVm', id: 1, type: 1n })).toEqual(err('EINVAL'));
    expect(d.one(gmem(0, 4n * P, 3n))).toEqual(ok());
    expect(d.one(gmem(1, 4n * P, 2n))).toEqual(ok()); // CRE-3
    expect(d.one(gmem(2, 4n * P, 4n))).toEqual(err('EINVAL'));
    expect(d.one(gmem(3, 0n, 0n))).toEqual(err('EINVAL'));
    expect(d.one(gmem(4, P + 1n, 0n))).toEqual(err('EINVAL'));
    expect(d.one(gmem(5, 1n << 63n, 0n))).toEqual(err('EINVAL'));
    expect(d.one(gmem(6, 0x7ffffffffffff000n, 0n))).toEqual(ok());
    expect(d.one(gmem(7, P, 1n << 63n))).toEqual(err('EINVAL'));
    expect(d.one(gmem(8, P, 0n, 9))).toEqual(err('EBADF'));
  });

  it('CRE-6: reserved ignored on 6.18, rejected under MUST-BE-ZERO', () => {
    const a = driver(linux618);
    a.one({ kind: 'createVm', id: 0, type: 0n });
    expect(a.one(gmem(0, P, 0n, 0, [1n, 0n, 0n, 0n, 0n, ~0n]))).toEqual(ok());
    const b = driver(withVariant(linux618, 'reserved', 'MUST-BE-ZERO'));
    b.one({ kind: 'createVm', id: 0, type: 0n });
    expect(b.one(gmem(0, P, 0n, 0, [1n]))).toEqual(err('EINVAL'));
  });

  it('DMAP-1: bit 2 accepted only where cap 244 lists it', () => {
    const d = driver(noDirectMapV12);
    d.one({ kind: 'createVm', id: 0, type: 0n });
    expect(d.one(gmem(0, P, 7n))).toEqual(ok());
    expect(d.state.inodes.get(1)!.noDirectMap).toBe(true);
  });

  it('CRE-1/7: fstat, fd flags, inode identity', () => {
    const d = driver(upstream);
    d.one({ kind: 'createVm', id: 0, type: 0n });
    d.one(gmem(0, 8n * P, 3n));
    d.one(gmem(1, 8n * P, 3n));
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(ok({ size: 8n * P, blksize: 4096, mode: GMEM_ST_MODE }));
    expect(d.one({ kind: 'fdFlags', fd: 0 })).toEqual(ok({ accmode: 'O_RDWR', cloexec: false }));
    expect(d.one({ kind: 'sameInode', fd: 0, other: 1 })).toEqual(ok(false));
    d.one({ kind: 'dup', fd: 0, id: 2 });
    expect(d.one({ kind: 'sameInode', fd: 0, other: 2 })).toEqual(ok(true));
    d.one({ kind: 'close', fd: 0 });
    expect(d.one({ kind: 'fstat', fd: 0 })).toEqual(err('EBADF'));
    expect(d.one({ kind: 'fstat', fd: 2 })).toEqual(ok({ size: 8n * P, blksize: 4096, mode: GMEM_ST_MODE }));
  });

  it('checkExtension: cap 244 per VM type, unknown caps loose', () => {
    const d = driver(linux618);
    expect(d.one({ kind: 'checkExtension', vm: null, cap: 244n })).toEqual(ok(3));
    d.one({ kind: 'createVm', id: 0, type: 0n });
    expect(d.one({ kind: 'checkExtension', vm: 0, cap: 233n })).toEqual(ok(0));
    expect(d.one({ kind: 'checkExtension', vm: 5, cap: 233n })).toEqual(err('EBADF'));
    const v = d.do({ kind: 'checkExtension', vm: 0, cap: 1n });
    expect(v.loose).toBeDefined();
  });
});
