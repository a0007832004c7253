// The paths that exist only with a proposed series (docs/kernel-surface.md K01, K02, K04):
// FIO-29 (the write() loop, page by page) and DMAP-21 (mlock on a NO_DIRECT_MAP mapping).
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { noDirectMapV12, writeV6 } from '../../../spec/profiles/series.js';
import { resolveProfile } from '../../../spec/profiles/index.js';
import { err, ok, type Op, type Profile } from '../../../spec/vocab/index.js';

const MI = 3n;
const NDM = 7n;
const setup = (p: Profile, flags = MI, size = 4n * P) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size, flags, reserved: [] });
  return d;
};
const io = (call: 'write' | 'pwrite' | 'read' | 'pread' | 'lseek', offset: bigint, len: number, value = 9): Op => ({ kind: 'fileIo', fd: 0, call, offset, len, value });
const mmap: Op = { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true };
const load = (offset: bigint): Op => ({ kind: 'load', map: 0, offset, onUserfault: 'COPY', fill: 0 });
const ruleIds = (d: ReturnType<typeof driver>, op: Op): string[] => [...d.do(op).rules];

describe('FIO-29: write() under the write() series, one page-sized piece at a time', () => {
  it('an unaligned tail ends the write with the short count of the whole pages', () => {
    const d = setup(writeV6);
    expect(d.one(io('pwrite', 0n, 2 * 4096 + 1))).toEqual(ok({ count: 2 * 4096 }));
    d.one(mmap);
    expect([d.one(load(P + 5n)), d.one(load(2n * P))]).toEqual([ok({ value: 9 }), ok({ value: 0 })]);
  });

  it('a write running past EOF writes the in-bounds pages; one starting past it or unaligned is EINVAL', () => {
    const d = setup(writeV6);
    expect(d.one(io('pwrite', 3n * P, 2 * 4096))).toEqual(ok({ count: 4096 }));
    expect(d.one(io('pwrite', 4n * P, 4096))).toEqual(err('EINVAL'));
    expect(d.one(io('pwrite', 100n, 3 * 4096))).toEqual(err('EINVAL'));
  });

  it('write() advances the file position by the short count; read EINVAL, pread ESPIPE', () => {
    const d = setup(writeV6);
    d.one(io('lseek', 2n * P, 0));
    expect(d.one(io('write', 0n, 3 * 4096))).toEqual(ok({ count: 2 * 4096 }));
    // The position is now at EOF: a further write is refused with nothing written.
    expect(d.one(io('write', 0n, 4096))).toEqual(err('EINVAL'));
    expect(d.one(io('read', 0n, 1))).toEqual(err('EINVAL'));
    expect(d.one(io('pread', 0n, 1))).toEqual(err('ESPIPE'));
  });

  it('P-WRITE=ONCE: a page already written ends a later write there (short count), or refuses it (EEXIST)', () => {
    const d = setup(noDirectMapV12, NDM);
    expect(d.one(io('pwrite', P, 4096, 1))).toEqual(ok({ count: 4096 }));
    expect(d.one(io('pwrite', 0n, 3 * 4096, 2))).toEqual(ok({ count: 4096 }));
    expect(d.one(io('pwrite', P, 4096, 3))).toEqual(err('EEXIST'));
    expect(ruleIds(d, io('pwrite', 0n, 2 * 4096, 3))).toContain('FIO-29');
  });

  it('K02: a file without NO_DIRECT_MAP under the ndm tree keeps its direct map, so it is written again', () => {
    const d = setup(noDirectMapV12, MI);
    expect(d.one(io('pwrite', 0n, 4096, 1))).toEqual(ok({ count: 4096 }));
    expect(d.one(io('pwrite', 0n, 4096, 2))).toEqual(ok({ count: 4096 }));
  });

  it('a zero-length write: 0 with nothing touched, or EFAULT with the folio brought up to date (the tree at 07a2ee4ca452)', () => {
    const d = setup(noDirectMapV12, NDM);
    const v = d.do(io('pwrite', 0n, 0), err('EFAULT'));
    expect(v.allowed).toEqual([ok({ count: 0 }), err('EFAULT')]);
    // After the EFAULT branch the folio's direct map is gone: the next write there is EEXIST.
    expect(d.one(io('pwrite', 0n, 4096))).toEqual(err('EEXIST'));
    // The position is still judged: unaligned EINVAL, past EOF EINVAL.
    expect(d.one(io('pwrite', 1n, 0))).toEqual(err('EINVAL'));
    expect(d.one(io('pwrite', 5n * P, 0))).toEqual(err('EINVAL'));
  });
});

describe('DMAP-21: mlock on a NO_DIRECT_MAP mapping', () => {
  const lock = (call: 'MLOCK' | 'MLOCK2' | 'MUNLOCK', flags = 0): Op => ({ kind: 'mlock', map: 0, offset: 0n, length: P, call, flags });
  const smaps: Op = { kind: 'smaps', map: 0, offset: 0n };

  it('mlock and mlock2(ONFAULT) are ENOMEM with nothing locked; munlock 0', () => {
    const d = setup(noDirectMapV12, NDM);
    d.one(mmap);
    expect(d.one(lock('MLOCK'))).toEqual(err('ENOMEM'));
    expect(d.one(lock('MLOCK2', 1))).toEqual(err('ENOMEM'));
    expect(ruleIds(d, lock('MLOCK'))).toEqual(['DMAP-21']);
    expect(d.one(lock('MUNLOCK'))).toEqual(ok());
    const s = d.one(smaps);
    expect(s.kind === 'ok' && (s.value as { locked: number; flags: string[] })).toMatchObject({ locked: 0 });
    expect(s.kind === 'ok' && (s.value as { flags: string[] }).flags).not.toContain('lo');
  });

  it('a mapping of a file without the flag locks as MAP-23 says', () => {
    const d = setup(noDirectMapV12, MI);
    d.one(mmap);
    expect(d.one(lock('MLOCK'))).toEqual(ok());
    const s = d.one(smaps);
    expect(s.kind === 'ok' && (s.value as { flags: string[] }).flags).toContain('lo');
  });
});

describe('SHR-22: what a refused conversion leaves, as pagemap and mincore show it', () => {
  const cv8 = resolveProfile('conversion-v8');
  const conv = (toPrivate: boolean, len = 2n * P): Op => ({ kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len, toPrivate, errorOffsetIn: 0n });
  const pm = (offset: bigint): Op => ({ kind: 'pagemap', map: 0, offset });
  const present = (o: ReturnType<ReturnType<typeof driver>['one']>): boolean => o.kind === 'ok' && (o.value as { present: boolean }).present;

  it('EAGAIN under a pin: every PTE of the range is gone (pinned page and its neighbour), the folios stay resident, the data intact', () => {
    const d = driver(cv8);
    d.one({ kind: 'createVm', id: 0, type: 1n });
    d.one({ kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: MI, reserved: [] });
    d.one(mmap);
    d.one({ kind: 'store', map: 0, offset: 0n, value: 4, onUserfault: 'COPY', fill: 0 });
    d.one({ kind: 'store', map: 0, offset: P, value: 5, onUserfault: 'COPY', fill: 0 });
    d.one({ kind: 'pin', map: 0, offset: P, length: P, how: 'VMSPLICE', id: 0 });
    expect([present(d.one(pm(0n))), present(d.one(pm(P)))]).toEqual([true, true]);
    expect(d.one(conv(true))).toEqual({ kind: 'errno', errno: 'EAGAIN', errorOffset: P });
    expect([present(d.one(pm(0n))), present(d.one(pm(P)))]).toEqual([false, false]);
    expect(d.one({ kind: 'mincore', map: 0, offset: 0n, pages: 2 })).toEqual(ok([true, true]));
    // Still shared: the next access faults the same bytes back in.
    expect([d.one(load(0n)), d.one(load(P))]).toEqual([ok({ value: 4 }), ok({ value: 5 })]);
    expect(present(d.one(pm(P)))).toBe(true);
  });

  it('a conversion to the state the range already has unmaps nothing', () => {
    const d = driver(cv8);
    d.one({ kind: 'createVm', id: 0, type: 1n });
    d.one({ kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: MI, reserved: [] });
    d.one(mmap);
    d.one({ kind: 'store', map: 0, offset: 0n, value: 4, onUserfault: 'COPY', fill: 0 });
    expect(d.one(conv(false))).toEqual(ok());
    expect(present(d.one(pm(0n)))).toBe(true);
  });
});
