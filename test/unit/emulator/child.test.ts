/**
 * The forked child on guest_memfd (MAP-11, MAP-24, LIFE-2, CRE-9, SHR-5's fork case), where the
 * host kernel cannot run it (no guest_memfd): the emulator's answers, stated here as worked out
 * from kernel/fork.c dup_mmap and virt/kvm/guest_memfd.c, and each judged by the spec — under
 * 6.18 (a private-only file, an INIT_SHARED one) and under the in-place conversion series (K06).
 */
import { describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { err, ok, sigbus, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { GMEM_FLAG } from '../../../spec/vocab/index.js';
import { gmem, judged, load, mmap, P, SERIES, store, vm } from './_fixtures.js';

type Act = Extract<Op, { kind: 'child' }>['act'];
const child = (act: Act): Op => ({ kind: 'child', act });
const cload = (map: number, offset: bigint): Op => child({ kind: 'load', map, offset });
const cstore = (map: number, offset: bigint, value: number): Op => child({ kind: 'store', map, offset, value });
const madv = (advice: 'DONTFORK' | 'DOFORK', offset = 0n, length = P): Op => ({ kind: 'madvise', map: 0, offset, length, advice });
const segv = (offset: bigint, code: 'SEGV_MAPERR' | 'SEGV_ACCERR' = 'SEGV_MAPERR'): Outcome => ({ kind: 'signal', signal: 'SIGSEGV', code, offset });
const toPrivate = (offset: bigint, len: bigint, priv = true): Op => ({ kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset, len, toPrivate: priv, errorOffsetIn: 0n });


describe('the forked child on guest_memfd', () => {
  it('MAP-11: the child reads the parent\'s bytes and its stores reach the file; a private offset is SIGBUS in the child too (6.18)', async () => {
    const got = await judged(linux618, [vm(), gmem(), mmap(), store(0, 3n, 7), cload(0, 3n), cstore(0, P + 1n, 9), load(0, P + 1n), cload(0, 4n * P)]);
    expect(got.slice(4)).toEqual([ok({ value: 7 }), ok(), ok({ value: 9 }), segv(4n * P)]);
    const priv = await judged(linux618, [vm(), gmem(0, 4n * P, GMEM_FLAG.MMAP), mmap(), cload(0, 0n), cstore(0, P, 1)]);
    expect(priv.slice(3)).toEqual([sigbus(0n), sigbus(P)]);
  });

  it('MAP-24: MADV_DONTFORK leaves the child without the pages (SIGSEGV MAPERR before the protection check); DOFORK gives them back', async () => {
    const got = await judged(linux618, [vm(), gmem(), mmap(), madv('DONTFORK', P, P), cload(0, P), cstore(0, P + 5n, 1), cload(0, 0n),
      { kind: 'mprotect', map: 0, prot: 0n }, cload(0, P), cload(0, 0n), { kind: 'mprotect', map: 0, prot: 3n },
      madv('DOFORK', 0n, 4n * P), cload(0, P)]);
    expect(got.slice(3)).toEqual([ok(), segv(P), segv(P + 5n), ok({ value: 0 }), ok(), segv(P), segv(0n, 'SEGV_ACCERR'), ok(), ok(), ok({ value: 0 })]);
  });

  it('LIFE-2 / CRE-9: the inherited gmem fd punches and allocates for both processes; a VM ioctl from the child is EIO', async () => {
    const got = await judged(linux618, [vm(), gmem(), mmap(), store(0, 0n, 5),
      child({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P }), load(0, 0n),
      child({ kind: 'ftruncate', fd: 0, size: 8n * P }), child({ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: P }),
      child({ kind: 'fallocate', fd: 0, mode: 1, offset: 3n * P, len: 2n * P }), child({ kind: 'fallocate', fd: 0, mode: 1, offset: 3n * P, len: P }),
      child({ kind: 'vmIoctl', vm: 0 }), { kind: 'closeVm', vm: 0 }, child({ kind: 'vmIoctl', vm: 0 })]);
    expect(got.slice(4)).toEqual([ok(), ok({ value: 0 }), err('EINVAL'), err('EOPNOTSUPP'), err('EINVAL'), ok(), err('EIO'), ok(), err('EBADF')]);
  });

  it('K06 / SHR-5 (conversion series): after to-private the child\'s access is SIGBUS; back to shared it reads zero', async () => {
    const got = await judged(SERIES, [vm(0, 1), gmem(), mmap(), store(0, 0n, 4), cload(0, 0n), toPrivate(0n, P), cload(0, 0n), cstore(0, 1n, 1),
      cload(0, P), toPrivate(0n, P, false), cload(0, 0n)]);
    expect(got.slice(4, 9)).toEqual([ok({ value: 4 }), ok(), sigbus(0n), sigbus(1n), ok({ value: 0 })]);
    // The byte after a round trip through private is not fixed (SHR-8): the spec allowed what the emulator read.
    expect(got[10]!.kind).toBe('ok');
  });
});
