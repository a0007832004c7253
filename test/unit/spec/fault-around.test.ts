/**
 * Why this test? GEN-FAULT-AROUND (spec/mmap/fault-around.ts) was found by the native parallel
 * run on 6.18 shmem: a read fault maps neighbours already in the page cache, so a MINOR-registered
 * store next to an earlier load raised no userfault. The spec cannot know the window (it depends
 * on the mapping's address), so the page is "maybe mapped": both outcomes are allowed where a PTE
 * matters, the observed one settles it, a zap clears it, and it never appears where the kernel
 * cannot fault around (guest_memfd, a write fault, a MINOR-registered VMA, a page not up to date).
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { UFFD_MODE, err, ok, type Op, type Outcome } from '../../../spec/vocab/index.js';

const minorStore = (offset = 0n): Op => ({ kind: 'store', map: 0, offset, value: 1, onUserfault: 'CONTINUE', fill: 0 });
const minorEvent = (offset = 0n): Outcome => ({ kind: 'uffd', event: { write: true, minor: true, wp: false, offset }, resolve: ok({ count: 4096 }), access: ok() });

/** memfd of 2 pages, maps #0 and #1 of it; page 0 in the page cache through #1; a read fault on page 1 of #0. */
const setup = (readNeighbour: boolean) => {
  const d = driver(linux618);
  d.one({ kind: 'createMemfd', id: 0, size: 2n * P });
  d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 2n * P, prot: 3n, shared: true });
  d.one({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 2n * P, prot: 3n, shared: true });
  d.one({ kind: 'store', map: 1, offset: 0n, value: 7, onUserfault: 'COPY', fill: 0 });
  d.one(readNeighbour
    ? { kind: 'load', map: 0, offset: P, onUserfault: 'COPY', fill: 0 }
    : { kind: 'store', map: 0, offset: P, value: 2, onUserfault: 'COPY', fill: 0 });
  d.one({ kind: 'uffdCreate', id: 0, features: 0n });
  d.one({ kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: UFFD_MODE.MINOR });
  return d;
};

describe('GEN-FAULT-AROUND', () => {
  it('a read fault may have mapped an up-to-date neighbour: a MINOR access there may fault or not; the outcome settles it', () => {
    const d = setup(true);
    const v = d.do(minorStore());
    expect(v.allowed).toContainEqual(ok());
    expect(v.allowed).toContainEqual(minorEvent());
    expect(v.rules[0]).toBe('GEN-FAULT-AROUND');
    d.state = v.next(ok());
    // Settled: mapped now, so the next access needs no fault.
    expect(d.one(minorStore())).toEqual(ok());
  });

  it('a write fault does not fault around: the MINOR access must fault', () => {
    expect(setup(false).one(minorStore())).toEqual(minorEvent());
  });

  it('MADV_DONTNEED clears the maybe with the PTEs', () => {
    const d = setup(true);
    d.one({ kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'DONTNEED' });
    expect(d.one(minorStore())).toEqual(minorEvent());
  });

  it('UFFDIO_CONTINUE on a maybe-mapped page may be EEXIST', () => {
    const d = setup(true);
    const v = d.do({ kind: 'uffdResolve', uffd: 0, how: 'CONTINUE', map: 0, offset: 0n, length: P, fill: 0 });
    expect(v.allowed).toContainEqual(ok({ count: 4096 }));
    expect(v.allowed).toContainEqual(err('EEXIST'));
  });

  it('GUP through a maybe-mapped MINOR page may pass it or need the userfault', () => {
    const d = setup(true);
    const v = d.do({ kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'POPULATE_READ' });
    expect(v.allowed).toContainEqual(ok());
    expect(v.allowed).toContainEqual(err('EFAULT'));
  });

  it('guest_memfd has no ->map_pages: never maybe mapped', () => {
    const d = driver(linux618);
    d.one({ kind: 'createVm', id: 0, type: 0n });
    d.one({ kind: 'createGmem', vm: 0, id: 0, size: 2n * P, flags: 3n, reserved: [] });
    d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 2n * P, prot: 3n, shared: true });
    d.one({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 2n * P, prot: 3n, shared: true });
    d.one({ kind: 'store', map: 1, offset: 0n, value: 7, onUserfault: 'COPY', fill: 0 });
    d.one({ kind: 'load', map: 0, offset: P, onUserfault: 'COPY', fill: 0 });
    expect(d.state.maps.get(0)!.around).toBeNull();
  });
});
