/**
 * MAP-30 in the spec: each step has exactly one allowed outcome here (no maybe-paths), so these
 * pin the spec's answers — a marker beats SIGBUS (private, EOF) and userfaults, GUP stops at it,
 * markers survive shmem punches and DONTNEED, guest_memfd's punch drops them only over folios
 * another mapping maps, mlock ends the install, and P-GUARD-FILE=EINVAL refuses the advice.
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618, withVariant } from '../../../spec/profiles/index.js';
import { err, ok, type Op } from '../../../spec/vocab/index.js';

const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const store = (map: number, offset: bigint, value: number): Op => ({ kind: 'store', map, offset, value, onUserfault: 'COPY', fill: 0 });
const mmap = (id: number, length: bigint, shared = true): Op => ({ kind: 'mmap', fd: 0, id, offset: 0n, length, prot: 3n, shared });
const madv = (advice: Extract<Op, { kind: 'madvise' }>['advice'], offset = 0n, length = P, map = 0): Op => ({ kind: 'madvise', map, offset, length, advice });
const segv = (offset: bigint) => ({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset });
const gmem = (flags: bigint, pages = 2n): Op => ({ kind: 'createGmem', vm: 0, id: 0, size: pages * P, flags, reserved: [] });

describe('MAP-30 guard markers (spec)', () => {
  it('a private and a past-EOF gmem page: SIGSEGV under the marker, SIGBUS again after GUARD_REMOVE', () => {
    const d = driver(linux618);
    d.one({ kind: 'createVm', id: 0, type: 0n });
    d.one(gmem(1n));
    d.one(mmap(0, 4n * P));
    expect(d.one(madv('GUARD_INSTALL', 0n, 4n * P))).toEqual(ok());
    expect(d.one(load(0, 0n))).toEqual(segv(0n));
    expect(d.one(store(0, 3n * P + 5n, 1))).toEqual(segv(3n * P + 5n));
    expect(d.one({ kind: 'kernelAccess', map: 0, offset: 0n, len: 8, call: 'process_vm_readv', value: 0 })).toEqual(err('EFAULT'));
    expect(d.one(madv('GUARD_REMOVE', 0n, 8n * P))).toEqual(err('ENOMEM'));
    expect(d.one(load(0, 0n))).toMatchObject({ kind: 'signal', signal: 'SIGBUS' });
  });

  it('memfd: install zaps the private copy; markers survive punch, REMOVE, DONTNEED; remove brings the file back', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 2n * P });
    d.one(mmap(0, 2n * P, false));
    d.one(store(0, 0n, 7));
    d.one(madv('GUARD_INSTALL'));
    expect(d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P })).toEqual(ok());
    d.one(madv('DONTNEED'));
    expect(d.one(load(0, 0n))).toEqual(segv(0n));
    expect(d.one({ kind: 'mlock', map: 0, offset: 0n, length: P, call: 'MLOCK', flags: 0 })).toEqual(err('ENOMEM'));
    expect(d.one(madv('GUARD_INSTALL'))).toEqual(err('EINVAL'));
    expect(d.one(madv('GUARD_REMOVE'))).toEqual(ok());
    // The private copy (7) went with the install: the page reads the file again.
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 0 }));
  });

  it("gmem punch: the marker over a folio another mapping maps goes, the others stay", () => {
    const d = driver(linux618);
    d.one({ kind: 'createVm', id: 0, type: 0n });
    d.one(gmem(3n, 4n));
    d.one(mmap(0, 4n * P));
    d.one(mmap(1, 4n * P));
    d.one(store(1, 0n, 9));
    d.one(store(0, P, 4));
    d.one(madv('GUARD_INSTALL', 0n, 2n * P));
    d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 4n * P });
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 0 }));
    expect(d.one(load(0, P))).toEqual(segv(P));
  });

  it('P-GUARD-FILE=EINVAL: both advices refused on a file VMA', () => {
    const d = driver(withVariant(linux618, 'guardFile', 'EINVAL'));
    d.one({ kind: 'createMemfd', id: 0, size: P });
    d.one(mmap(0, P));
    expect(d.one(madv('GUARD_INSTALL'))).toEqual(err('EINVAL'));
    expect(d.one(madv('GUARD_REMOVE'))).toEqual(err('EINVAL'));
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 0 }));
  });
});
