// The series-only paths of docs/kernel-surface.md section K on the emulator, each outcome judged by
// the spec under the same profile: FIO-29 (the write() loop), DMAP-21 (mlock under NO_DIRECT_MAP)
// and SHR-22 (the pagemap view of a refused conversion).
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { GMEM_FLAG } from '../../../spec/vocab/index.js';
import { resolveProfile } from '../../../spec/profiles/index.js';
import type { Outcome } from '../../../spec/vocab/index.js';
import { errno, gmem, judged, load, lv, MI, mmap, okv, P, store, vm } from './_fixtures.js';

const ND12 = resolveProfile('no-direct-map-v12');
const W6 = resolveProfile('write-v6');
const CV8 = resolveProfile('conversion-v8');
const NDM = MI | GMEM_FLAG.BIT2;
const io = (call: 'write' | 'pwrite' | 'read' | 'pread', offset: bigint, len: number, value = 7): Op => ({ kind: 'fileIo', fd: 0, call, offset, len, value });
const lseek = (offset: bigint): Op => ({ kind: 'lseek', fd: 0, offset, whence: 0 });
const fdInfo: Op = { kind: 'fdInfo', fd: 0 };
/** The value of an ok outcome (undefined for any other). */
const val = <T>(o: Outcome | undefined): T | undefined => (o?.kind === 'ok' ? (o.value as T) : undefined);

describe('emulator: the series-only paths (FIO-29, DMAP-21, SHR-22)', () => {
  it('FIO-29: an unaligned tail and a run past EOF end in short counts; write() moves the position by the count', async () => {
    const out = await judged(W6, [vm(), gmem(), io('pwrite', 0n, 2 * 4096 + 1), io('pwrite', 3n * P, 2 * 4096), io('pwrite', 4n * P, 4096),
      lseek(2n * P), io('write', 0n, 3 * 4096), fdInfo, io('read', 0n, 1), io('pread', 0n, 1), mmap(), load(0, P), load(0, 2n * P)]);
    expect(out.slice(2, 7)).toEqual([okv({ count: 8192 }), okv({ count: 4096 }), errno('EINVAL'), okv({ offset: 2n * P }), okv({ count: 8192 })]);
    expect(out[7]).toMatchObject({ kind: 'ok', value: { pos: 4n * P } });
    expect(out.slice(8)).toEqual([errno('EINVAL'), errno('ESPIPE'), okv(), lv(7), lv(7)]);
  });

  it('FIO-29 under P-WRITE=ONCE: a written page ends a later write (short count); a zero-length write populates and is EFAULT', async () => {
    const out = await judged(ND12, [vm(), gmem(0, 4n * P, NDM), io('pwrite', P, 4096), io('pwrite', 0n, 3 * 4096), io('pwrite', 2n * P, 0), io('pwrite', 2n * P, 4096), io('pwrite', 3n * P, 4096)]);
    expect(out.slice(2)).toEqual([okv({ count: 4096 }), okv({ count: 4096 }), errno('EFAULT'), errno('EEXIST'), okv({ count: 4096 })]);
  });

  it('K02: under the ndm tree a file without the flag is written twice (its direct map stays)', async () => {
    const out = await judged(ND12, [vm(), gmem(), io('pwrite', 0n, 4096), io('pwrite', 0n, 4096)]);
    expect(out.slice(2)).toEqual([okv({ count: 4096 }), okv({ count: 4096 })]);
  });

  it('DMAP-21: mlock and mlock2(ONFAULT) on an ndm mapping are ENOMEM with nothing locked; munlock 0', async () => {
    const lock = (call: 'MLOCK' | 'MLOCK2' | 'MUNLOCK', flags = 0): Op => ({ kind: 'mlock', map: 0, offset: 0n, length: P, call, flags });
    const out = await judged(ND12, [vm(), gmem(0, 4n * P, NDM), mmap(), lock('MLOCK'), lock('MLOCK2', 1), lock('MUNLOCK'), { kind: 'smaps', map: 0, offset: 0n }]);
    expect(out.slice(3, 6)).toEqual([errno('ENOMEM'), errno('ENOMEM'), okv()]);
    expect(out[6]).toMatchObject({ kind: 'ok', value: { locked: 0 } });
    expect(val<{ flags: string[] }>(out[6])?.flags).not.toContain('lo');
  });

  it('SHR-22: a conversion refused under a pin leaves the range unmapped (pagemap), resident (mincore) and intact', async () => {
    const conv: Op = { kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len: 2n * P, toPrivate: true, errorOffsetIn: 0n };
    const pm = (offset: bigint): Op => ({ kind: 'pagemap', map: 0, offset });
    const out = await judged(CV8, [vm(0, 1), gmem(), mmap(), store(0, 0n, 4), { kind: 'pin', map: 0, offset: P, length: P, how: 'IO_URING', id: 0 },
      conv, pm(0n), pm(P), { kind: 'mincore', map: 0, offset: 0n, pages: 2 }, load(0, 0n), pm(0n)]);
    expect(out[5]).toEqual({ kind: 'errno', errno: 'EAGAIN', errorOffset: P });
    expect(out.slice(6, 8).map((o) => val<{ present: boolean }>(o)?.present)).toEqual([false, false]);
    expect(out[8]).toEqual(okv([true, true]));
    expect(out[9]).toEqual(lv(4));
    expect(val<{ present: boolean }>(out[10])?.present).toBe(true);
  });
});
