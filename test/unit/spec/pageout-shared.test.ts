/**
 * MAP-27, PAGEOUT on shmem: reclaim unmaps a folio only this PTE maps; one another mapping maps
 * too is left alone (mm/madvise.c madvise_cold_or_pageout_pte_range: folio_mapcount !=
 * folio_nr_pages → skip). Found by a native run on 6.18.44 (smaps Rss 4 after PAGEOUT).
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { imGet } from '../../../spec/state/imap.js';
import type { Op } from '../../../spec/vocab/index.js';

const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const pageout = (map: number): Op => ({ kind: 'madvise', map, offset: 0n, length: 2n * P, advice: 'PAGEOUT' });

describe('MAP-27: PAGEOUT and other mappings of the folio', () => {
  it('unmaps a page only this mapping maps, keeps one a second mapping maps too', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 2n * P });
    d.one({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 2n * P, prot: 3n, shared: true });
    d.one({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: P, prot: 3n, shared: true });
    d.do(load(0, 0n)); d.do(load(0, P)); d.do(load(1, 0n));
    d.do(pageout(0));
    const m = d.state.maps.get(0)!;
    // Page 0 is mapped by map 1 too (sure, or maybe through fault-around): never surely gone.
    expect(imGet(m.ptes, 0) === true || imGet(m.around, 0) === true).toBe(true);
    expect(imGet(d.state.maps.get(1)!.ptes, 0)).toBe(true);
  });
});
