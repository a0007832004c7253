/**
 * UFFDIO_WRITEPROTECT on this machine's kernel (UFD-20), through the native target on memfd, each
 * step judged by the spec (linux-6.18-nogmem): an async-WP range write-protected shows uffd-wp in
 * pagemap (a marker on an empty page, the bit on a mapped one) until a store clears it with no
 * event; a synchronous WP store raises the WP userfault; the argument checks and a range without
 * WP registration are refused. The gmem cases are the emulator's (no guest_memfd on this host).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { UFFD_FEATURE, UFFD_MODE, err, ok } from '../../../spec/vocab/index.js';
import type { Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches, st } from './_support.js';

const P = 4096n;
const wp = (uffd: number, map: number, offset: bigint, length: bigint, mode: bigint): Op => ({ kind: 'uffdWriteProtect', uffd, map, offset, length, mode });
const pm = (map: number, offset: bigint): Op => ({ kind: 'pagemap', map, offset });

const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 4n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true },
  { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4n * P, prot: 3n, shared: true },
  { kind: 'uffdCreate', id: 0, features: UFFD_FEATURE.WP_ASYNC },
  { kind: 'uffdCreate', id: 1, features: 0n },
  // 5: async WP on map 0, page 1 mapped first; sync WP on map 1.
  { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 4n * P, mode: UFFD_MODE.WP },
  st(0, P, 3),
  { kind: 'uffdRegister', uffd: 1, map: 1, offset: 0n, length: 2n * P, mode: UFFD_MODE.WP },
  // 8: protect map 0 pages 0..1: marker on 0, bit on 1.
  wp(0, 0, 0n, 2n * P, 1n), pm(0, 0n), pm(0, P), pm(0, 2n * P),
  // 12: async stores clear it with no event.
  st(0, 0n, 5), st(0, P, 6), pm(0, 0n), pm(0, P),
  // 16: sync: protect page 0 of map 1 and store: the WP userfault.
  wp(1, 1, 0n, P, 1n), pm(1, 0n), st(1, 0n, 7), pm(1, 0n), { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 1 },
  // 21: argument checks, WP|DONTWAKE, a range with an unregistered VMA, a start outside, clearing.
  wp(0, 0, 1n, P, 1n), wp(0, 0, 0n, 0n, 1n), wp(0, 0, 0n, P, 3n), wp(0, 0, 0n, P, 4n), wp(0, 1, P, 2n * P, 1n),
  wp(0, 0, -(1n << 40n), P, 1n), wp(0, 0, 2n * P, 4n * P, 1n), wp(0, 0, 0n, 4n * P, 0n), pm(0, 2n * P),
];

describeNative('UFFDIO_WRITEPROTECT on this kernel (memfd, judged by the spec)', () => {
  it('write protection, its pagemap bits and its faults agree with linux-6.18-nogmem', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    // The kernel really did it: a marker, then the bit, then cleared by the stores.
    expect(observed[9]).toEqual(ok({ present: false, swap: true, file: false, exclusive: false, uffdWp: true, guard: false }));
    expect(observed[10]).toMatchObject({ kind: 'ok', value: { present: true, uffdWp: true } });
    expect(observed[14]).toMatchObject({ kind: 'ok', value: { uffdWp: false } });
    expect(observed[18]).toMatchObject({ kind: 'uffd', event: { wp: true, write: true }, resolve: err('EEXIST') });
    expect(observed[24]).toEqual(err('EINVAL'));
    expect(observed[25]).toEqual(err('ENOENT'));
  });
});
