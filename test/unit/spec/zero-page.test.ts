/**
 * UFFDIO_ZEROPAGE into a private memfd mapping maps the shared zero page, which pagemap shows
 * PRESENT without MMAP_EXCLUSIVE and smaps does not count (vm_normal_page is NULL for it). Found
 * by a native run on 6.18.44 (uffd domain, seed 1323898213): the spec demanded EXCLUSIVE. The spec
 * keeps bytes, not which page holds them, so an all-zero private copy allows both; one holding
 * other bytes is a real anonymous page: EXCLUSIVE only.
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import { ok, type Op } from '../../../spec/vocab/index.js';

const setup = (how: 'ZEROPAGE' | 'COPY', fill: number): ReturnType<typeof driver> => {
  const d = driver(linux618);
  const ops: Op[] = [
    { kind: 'createMemfd', id: 0, size: P }, { kind: 'uffdCreate', id: 0, features: 0n },
    { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: false },
    { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 1n },
    { kind: 'uffdResolve', uffd: 0, how, map: 0, offset: 0n, length: P, fill },
  ];
  for (const op of ops) d.one(op);
  return d;
};
const bits = (exclusive: boolean) => ok({ present: true, swap: false, file: false, exclusive, uffdWp: false, guard: false });

describe('the zero page behind a private mapping (MAP-39, MAP-38)', () => {
  it('after UFFDIO_ZEROPAGE pagemap may show the page without EXCLUSIVE', () => {
    expect(setup('ZEROPAGE', 0).do({ kind: 'pagemap', map: 0, offset: 0n }).allowed).toEqual(expect.arrayContaining([bits(true), bits(false)]));
  });
  it('after UFFDIO_COPY of other bytes the copy is anonymous and exclusive, only', () => {
    expect(setup('COPY', 7).do({ kind: 'pagemap', map: 0, offset: 0n }).allowed).toEqual([bits(true)]);
  });
  it('smaps may leave the zero page out of Rss', () => {
    const v = setup('ZEROPAGE', 0).do({ kind: 'smaps', map: 0, offset: 0n });
    const rss = v.allowed.map((o) => (o.kind === 'ok' ? (o.value as { rss?: number } | null)?.rss : undefined));
    expect(rss).toEqual(expect.arrayContaining([0, 4]));
  });
});

describe('a private copy of zeros is a copy (GEN-SHMEM-MMAP)', () => {
  it('a store through it keeps the zeros, not the file\'s later bytes', () => {
    // Found by a native run on 6.18.44 (memfd, seed 1334595597): MAP_POPULATE broke COW while the
    // file page was zero; the file then changed; a store and a load through the copy read 0.
    const d = driver(linux618);
    const ops: Op[] = [
      { kind: 'createMemfd', id: 0, size: P },
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true },
      { kind: 'mmapEx', fd: 0, id: 1, offset: 0n, length: P, prot: 3n, flags: 0x8002n, place: { kind: 'over', map: 0 } } as Op,
      { kind: 'store', map: 0, offset: 1n, value: 1, onUserfault: 'COPY', fill: 0 } as Op,
      { kind: 'store', map: 1, offset: 0n, value: 0, onUserfault: 'COPY', fill: 0 } as Op,
    ];
    for (const op of ops) d.one(op);
    expect(d.do({ kind: 'load', map: 1, offset: 1n, onUserfault: 'COPY', fill: 0 } as Op).allowed).toEqual([ok({ value: 0 })]);
  });
});
