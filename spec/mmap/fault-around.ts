/**
 * Fault-around (GEN-FAULT-AROUND). A read fault on a file VMA whose vm_ops has ->map_pages — shmem
 * (memfd) has, guest_memfd has not — first maps the neighbouring pages that are already in the
 * page cache and up to date (mm/memory.c do_read_fault → do_fault_around → mm/filemap.c
 * filemap_map_pages), unless the VMA is registered for userfaultfd MINOR or WP
 * (uffd_disable_fault_around). The window is fault_around_bytes (64 KiB: 16 pages), aligned on
 * the *virtual address* and clamped to the VMA: which neighbours fall in it depends on where the
 * kernel placed the mapping, which the spec does not know. So the spec records the pages a fault
 * may have mapped this way — any eligible page within 15 pages of the faulting one — as
 * `around`: maybe mapped. Measured on 6.18.44 shmem (a native parallel run): after a load of page 1
 * of a memfd mapping, with page 0 already in the page cache through another mapping, page 0 had a
 * PTE, and a store there after a MINOR registration raised no userfault.
 *
 * A maybe-mapped page matters only where a present PTE changes an outcome: a MINOR-registered
 * access (./load-store.ts: userfault or not), UFFDIO_CONTINUE (EEXIST or not), GUP through a
 * MINOR-registered page (stops there or not), mbind MPOL_MF_STRICT (a misplaced mapped page).
 * Each of those allows both; every zap of PTEs clears `around` with them.
 */
import { UFFD_MODE } from '../vocab/index.js';
import { fact } from '../rule.js';
import { imEach, imGet, imSet, imFind } from '../state/imap.js';
import { withMap } from '../state/update.js';
import type { Mapping, SpecState } from '../state/types.js';

export const genFaultAround = fact(
  'GEN-FAULT-AROUND',
  'mm/memory.c do_read_fault, do_fault_around, should_fault_around; mm/filemap.c filemap_map_pages; include/linux/userfaultfd_k.h uffd_disable_fault_around',
);

/** fault_around_bytes (default 64 KiB) in pages: the window's size. */
export const FAULT_AROUND_PAGES = 16;

const disablesAround = (mode: bigint | undefined): boolean => mode !== undefined && (mode & (UFFD_MODE.MINOR | UFFD_MODE.WP)) !== 0n;

/**
 * The state after a read fault on map pages [a, b) of mapping `mapId` (one page for a host access,
 * a range for GUP): neighbours fault-around may have mapped become `around`. Only shmem has
 * ->map_pages; a VMA registered MINOR or WP does no fault-around, and its pages lie in another
 * VMA than an unregistered faulting page, so they are never mapped by it either.
 */
export const faultAround = (s: SpecState, mapId: number, a: number, b: number): SpecState => {
  const map = s.maps.get(mapId);
  if (map === undefined || a >= b) return s;
  const ino = s.inodes.get(map.inode)!;
  if (ino.kind !== 'memfd') return s;
  if (imFind(map.uffd, a, b, (r) => disablesAround(r?.mode)) !== undefined) return s;
  const lo = Math.max(0, a - (FAULT_AROUND_PAGES - 1));
  const hi = Math.min(map.pages, b + (FAULT_AROUND_PAGES - 1), Math.max(0, ino.sizePages - map.pgoff));
  let around = map.around;
  imEach(ino.folios, map.pgoff + lo, map.pgoff + hi, (fa, fb, f) => {
    if (f === undefined || !f.uptodate) return;
    for (let q = fa - map.pgoff; q < fb - map.pgoff; q++) {
      // filemap_map_pages fills only none PTEs: a guard marker (MAP-30) is never replaced.
      if (imGet(map.ptes, q) !== undefined || imGet(map.cow, q) !== undefined || disablesAround(imGet(map.uffd, q)?.mode) || (map.guard != null && imGet(map.guard, q) !== undefined) || (map.poison != null && imGet(map.poison, q) === true)) continue;
      around = imSet(around, q, q + 1, true);
    }
  });
  return around === map.around ? s : withMap(s, mapId, { ...map, around });
};

/** Is map page mp maybe mapped by an earlier fault-around (and not known to be mapped)? */
export const maybeMapped = (map: Mapping, mp: number): boolean =>
  imGet(map.around, mp) !== undefined && imGet(map.ptes, mp) === undefined && imGet(map.cow, mp) === undefined;

/**
 * How many PTEs of the file's other live mappings (not `self`) map file page `fpage`: [sure, maybe]
 * (maybe: an earlier fault-around may have mapped it). A private copy is not the file's page.
 */
export const otherMappers = (s: SpecState, self: number, inode: number, fpage: number): [number, number] => {
  let sure = 0;
  let maybe = 0;
  for (const [id, m] of s.maps) {
    if (id === self || m.inode !== inode) continue;
    const mp = fpage - m.pgoff;
    if (mp < 0 || mp >= m.pages || imGet(m.cow, mp) !== undefined) continue;
    if (imGet(m.ptes, mp) !== undefined) sure++;
    else if (maybeMapped(m, mp)) maybe++;
  }
  return [sure, maybe];
};

/** The maybe-mapped pages in [a, b), at most a window's worth. */
export const maybeMappedIn = (map: Mapping, a: number, b: number): number[] => {
  const out: number[] = [];
  imEach(map.around, a, b, (x, y, v) => {
    if (v === undefined) return false;
    for (let q = x; q < y && out.length < FAULT_AROUND_PAGES; q++) if (maybeMapped(map, q)) out.push(q);
    return out.length >= FAULT_AROUND_PAGES;
  });
  return out;
};

export const AROUND_LOOSE = "GEN-FAULT-AROUND: an earlier read fault may or may not have mapped the page (the window depends on the mapping's address)";

/** The mapping as it is once map pages [a, b) are known mapped or not: no longer maybe. */
export const settled = (map: Mapping, a: number, b: number): Mapping => {
  const around = imSet(map.around, a, b, undefined);
  return around === map.around ? map : { ...map, around };
};
