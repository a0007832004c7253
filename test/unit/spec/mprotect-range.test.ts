/**
 * MAP-19 in the spec: mprotect of a range of a gmem mapping (6.18) — do_mprotect_pkey's checks in
 * order, the per-run protection a partial call leaves (each page faults, is reached by GUP and is
 * reported by smaps by its own VMA), the hole after the mapping (ENOMEM after the change), EACCES
 * for PROT_EXEC on gmem, the answers that depend on the mapping's address, and the pieces of a
 * partial munmap keeping their protection.
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { err, ok, type Op } from '../../../spec/vocab/index.js';
import { protOf } from '../../../spec/mmap/prot-at.js';

const mp = (offset: bigint, length: bigint, prot: bigint, map = 0): Op => ({ kind: 'mprotectRange', map, offset, length, prot });
const store = (map: number, offset: bigint): Op => ({ kind: 'store', map, offset, value: 1, onUserfault: 'COPY', fill: 0 });
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const accerr = (offset: bigint) => ({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_ACCERR', offset });

const mapped = () => {
  const d = driver(linux618);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: 8n * P, flags: 3n, reserved: [] });
  d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true });
  return d;
};

describe('MAP-19: mprotect of a range', () => {
  it('checks GROWS*, alignment, length, wrap, prot bits and GROWS on a file VMA in do_mprotect_pkey order, changing nothing', () => {
    const d = mapped();
    expect(d.one(mp(1n, P, 0x3000000n | (1n << 40n)))).toEqual(err('EINVAL'));
    expect(d.one(mp(1n, P, 1n))).toEqual(err('EINVAL'));
    expect(d.one(mp(0n, 0n, 1n << 40n))).toEqual(ok());
    // A length that rounds to 0 is ENOMEM before the prot word is looked at.
    expect(d.one(mp(0n, (1n << 64n) - 1n, 1n << 40n))).toEqual(err('ENOMEM'));
    for (const bit of [31n, 32n, 63n]) expect(d.one(mp(0n, P, 1n | (1n << bit)))).toEqual(err('EINVAL'));
    expect(d.one(mp(0n, P, 0x1000001n))).toEqual(err('EINVAL'));
    expect(d.one(mp(0n, P, 0x2000001n))).toEqual(err('EINVAL'));
    // No VMA at the start comes before GROWS: ENOMEM.
    expect(d.one(mp(8n * P, P, 0x1000001n))).toEqual(err('ENOMEM'));
    expect(d.one(mp(-P, 2n * P, 1n))).toEqual(err('ENOMEM'));
    expect(d.state.maps.get(0)!.protAt).toBeUndefined();
    expect(d.one(mp(0n, P, 0x8n | 3n))).toEqual(ok());
  });

  it('a middle range splits the protection: stores fault there only, GUP stops there', () => {
    const d = mapped();
    expect(d.one(mp(2n * P, 2n * P, 1n))).toEqual(ok());
    const m = d.state.maps.get(0)!;
    expect([0, 1, 2, 3, 4, 7].map((q) => protOf(m, q))).toEqual([3, 3, 1, 1, 3, 3]);
    expect(d.one(store(0, P))).toEqual(ok());
    expect(d.one(store(0, 2n * P))).toEqual(accerr(2n * P));
    expect(d.one(store(0, 4n * P))).toEqual(ok());
    expect(d.one(load(0, 3n * P))).toEqual(ok({ value: 0 }));
    const smaps = d.one({ kind: 'smaps', map: 0, offset: 2n * P });
    expect(smaps).toMatchObject({ kind: 'ok', value: { start: 2n * P, end: 4n * P, perms: 'r--s' } });
    // A write over pages 1..2 through GUP stops at page 2.
    const pw = d.one({ kind: 'kernelAccess', map: 0, offset: P, len: 2 * 4096, call: 'process_vm_writev', value: 3 });
    expect(pw).toMatchObject({ kind: 'ok', value: { count: 4096 } });
  });

  it('PROT_NONE on a later page: POPULATE is EINVAL and mlock ENOMEM after the pages before it', () => {
    const d = mapped();
    d.one(mp(3n * P, P, 0n));
    expect(d.one({ kind: 'madvise', map: 0, offset: 2n * P, length: 2n * P, advice: 'POPULATE_READ' })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'mlock', map: 0, offset: 0n, length: 4n * P, call: 'MLOCK', flags: 0 })).toEqual(err('ENOMEM'));
    expect(d.one(load(0, 3n * P))).toEqual(accerr(3n * P));
  });

  it('a range past the end changes the mapping\'s pages, then answers ENOMEM for the hole', () => {
    const d = mapped();
    expect(d.one(mp(6n * P, 4n * P, 1n))).toEqual(err('ENOMEM'));
    expect(d.one(store(0, 7n * P))).toEqual(accerr(7n * P));
    expect(d.one(store(0, 5n * P))).toEqual(ok());
  });

  it('PROT_EXEC on gmem is EACCES (no VM_MAYEXEC) before any page changes', () => {
    const d = mapped();
    expect(d.one(mp(0n, 2n * P, 5n))).toEqual(err('EACCES'));
    expect(d.state.maps.get(0)!.protAt).toBeUndefined();
  });

  it('allows both answers where the mapping address decides the wrap', () => {
    const d = mapped();
    const v = d.do(mp(P, (1n << 64n) - (1n << 46n), 1n << 40n));
    expect(v.allowed).toEqual(expect.arrayContaining([err('ENOMEM'), err('EINVAL')]));
  });

  it('the pieces of a partial munmap keep their pages\' protection; the whole-map mprotect clears the runs', () => {
    const d = mapped();
    d.one(mp(4n * P, P, 1n));
    expect(d.one({ kind: 'munmapPart', map: 0, offset: P, length: P, id: 1 })).toEqual(ok());
    expect(d.one(store(1, 2n * P))).toEqual(accerr(2n * P));
    expect(d.one(store(1, P))).toEqual(ok());
    expect(d.one({ kind: 'mprotect', map: 1, prot: 3n })).toEqual(ok());
    expect(d.state.maps.get(1)!.protAt).toBeUndefined();
    expect(d.one(store(1, 2n * P))).toEqual(ok());
  });
});
