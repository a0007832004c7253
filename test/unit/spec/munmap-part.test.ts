/**
 * MAP-20 in the spec: partial munmap of a gmem mapping (6.18) — do_vmi_munmap's EINVAL checks, the
 * pieces left on both sides of the range with their state, the file reference, the answers that
 * depend on the mapping's address (spec/catalogue/surface-mmrange-rules.ts).
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { err, ok, type Op } from '../../../spec/vocab/index.js';

const cut = (map: number, offset: bigint, length: bigint, id: number): Op => ({ kind: 'munmapPart', map, offset, length, id });
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const store = (map: number, offset: bigint, value: number): Op => ({ kind: 'store', map, offset, value, onUserfault: 'COPY', fill: 0 });
const segv = (offset: bigint) => ({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset });

const mapped = () => {
  const d = driver(linux618);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: 8n * P, flags: 3n, reserved: [] });
  d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true });
  return d;
};

describe('MAP-20: partial munmap', () => {
  it('refuses an unaligned start and a length that rounds to 0 or wraps, changing nothing', () => {
    const d = mapped();
    for (const [offset, length] of [[1n, P], [0n, 0n], [0n, (1n << 64n) - 1n], [P, (1n << 64n) - P], [1n << 57n, P]] as const) {
      expect(d.one(cut(0, offset, length, 1))).toEqual(err('EINVAL'));
    }
    expect(d.state.maps.get(0)!.pages).toBe(8);
    expect(d.state.maps.has(1)).toBe(false);
  });

  it('a middle cut leaves the head under the handle and the rest under the new one, data and lock kept', () => {
    const d = mapped();
    d.one(store(0, 5n * P, 5));
    d.one({ kind: 'mlock', map: 0, offset: 4n * P, length: 4n * P, call: 'MLOCK2', flags: 1 });
    expect(d.one(cut(0, 2n * P, P + 1n, 1))).toEqual(ok());
    const head = d.state.maps.get(0)!;
    const tail = d.state.maps.get(1)!;
    expect([head.pages, head.pgoff, tail.pages, tail.pgoff]).toEqual([2, 0, 4, 4]);
    expect(d.state.inodes.get(head.inode)!.mapCount).toBe(2);
    expect(d.one(load(0, 2n * P))).toEqual(segv(2n * P));
    expect(d.one(load(1, P))).toEqual(ok({ value: 5 }));
    expect(d.one({ kind: 'msync', map: 1, offset: 0n, length: P, flags: 2 })).toEqual(err('EBUSY'));
  });

  it('a head cut kills the handle; a cut to the end creates nothing; the last piece drops the file reference', () => {
    const d = mapped();
    d.one({ kind: 'close', fd: 0 });
    expect(d.one(cut(0, 0n, 2n * P, 1))).toEqual(ok());
    expect(d.state.maps.has(0)).toBe(false);
    expect(d.state.maps.get(1)!.pgoff).toBe(2);
    expect(d.one(cut(1, 2n * P, 64n * P, 2))).toEqual(ok());
    expect(d.state.maps.has(2)).toBe(false);
    expect(d.state.maps.get(1)!.pages).toBe(2);
    expect(d.state.inodes.size).toBe(1);
    expect(d.one(cut(1, 0n, 2n * P, 3))).toEqual(ok());
    expect(d.state.inodes.size).toBe(0);
  });

  it('a dead handle is 0; a start below the mapping or an end far past it may be EINVAL or 0', () => {
    const d = mapped();
    expect(d.one(cut(5, 0n, P, 1))).toEqual(ok());
    expect(d.do(cut(0, -P, 2n * P, 2)).allowed).toEqual([ok(), err('EINVAL')]);
    expect(d.state.maps.get(0)!.pages).toBe(8);
    const far = d.do(cut(0, 7n * P, 1n << 46n, 3), err('EINVAL'));
    expect(far.allowed).toEqual([ok(), err('EINVAL')]);
    expect(d.state.maps.get(0)!.pages).toBe(8);
  });
});
