/**
 * The page cache of one inode: materialised folios plus fallocated extents that have not been
 * touched yet (kvm_gmem_allocate grabs folios without zeroing them, FIO-11; an extent stands for
 * any number of such folios so that allocating 2^50 pages costs one range).
 */
import type { Kernel } from './kernel.js';
import type { Folio, Inode, Policy } from './state.js';
import { allocPolicy, nodeFor, policyPieces } from './numa.js';

export const present = (inode: Inode, page: number): boolean => inode.folios.has(page) || inode.alloc.has(page);

/** Number of pages the page cache may hold: pages wholly or partly below i_size. */
export const filePages = (inode: Inode): number => Number((inode.size + 4095n) / 4096n);

/** The folio at `page`, materialising an untouched extent page if needed; undefined if absent. */
export const lookup = (k: Kernel, inode: Inode, page: number): Folio | undefined => {
  const f = inode.folios.get(page);
  if (f) return f;
  const ext = inode.alloc.get(page);
  if (!ext) return undefined;
  inode.alloc.delete(page, page + 1);
  const folio: Folio = { data: null, uptodate: ext.uptodate ?? false, node: nodeFor(k, ext.policy, inode, page), dmapRemoved: false };
  dmapOnInsert(k, inode, folio);
  inode.folios.set(page, folio);
  return folio;
};

/**
 * kvm_gmem_get_folio / shmem_get_folio: find or allocate (not zeroed, not up to date). `policy`:
 * the allocation policy looked up earlier (the parallel engine separates lookup and allocation).
 */
export const grab = (k: Kernel, inode: Inode, page: number, policy: Policy | null = allocPolicy(k, inode, page)): Folio => {
  const f = lookup(k, inode, page);
  if (f) return f;
  const folio: Folio = { data: null, uptodate: false, node: nodeFor(k, policy, inode, page), dmapRemoved: false };
  dmapOnInsert(k, inode, folio);
  inode.folios.set(page, folio);
  return folio;
};

/** Clears a folio that is not up to date and marks it up to date (kvm_gmem_fault_user_mapping, FIO-11). */
export const makeUptodate = (folio: Folio): void => {
  if (!folio.uptodate) {
    folio.data = null;
    folio.uptodate = true;
  }
};

/** NO_DIRECT_MAP, P-DMAP-GRAN=MAPPING: the direct map is gone while the folio is in the page cache (DMAP-3). */
const dmapOnInsert = (k: Kernel, inode: Inode, folio: Folio): void => {
  if (noDirectMap(k, inode) && k.profile.variants.dmapGran === 'MAPPING') folio.dmapRemoved = true;
};

/** FOLIO-LAZY: removed at the first host fault or get_pfn (DMAP-3, v12 code). */
export const dmapOnUse = (k: Kernel, inode: Inode, folio: Folio): void => {
  if (noDirectMap(k, inode)) folio.dmapRemoved = true;
};

export const noDirectMap = (k: Kernel, inode: Inode): boolean =>
  inode.kind === 'gmem' && k.profile.features.noDirectMap && k.profile.variants.flagBit2 === 'NO_DIRECT_MAP' &&
  (inode.flags & 4n) !== 0n;

/** fallocate(KEEP_SIZE) on [s, e): existing folios keep their data (FIO-10). */
export const allocateRange = (k: Kernel, inode: Inode, s: number, e: number): void => {
  // Fill only the gaps between existing extents and folios; folios stay as they are.
  const gaps: Array<[number, number]> = [];
  let at = s;
  for (const [a, b] of inode.alloc.overlaps(s, e)) {
    if (a > at) gaps.push([at, a]);
    at = b;
  }
  if (at < e) gaps.push([at, e]);
  // Placement is decided now (POL-5): split the extents where the allocation policy changes.
  for (const [a, b] of gaps) for (const [x, y, policy] of policyPieces(k, inode, a, b)) inode.alloc.set(x, y, { policy });
  // Pages materialised as folios are removed from the extents again to keep the two disjoint.
  if (inode.folios.size < e - s) {
    k.work += inode.folios.size;
    for (const p of inode.folios.keys()) if (p >= s && p < e) inode.alloc.delete(p, p + 1);
  } else {
    k.work += e - s;
    for (let p = s; p < e; p += 1) if (inode.folios.has(p)) inode.alloc.delete(p, p + 1);
  }
};

/** Removes folios of [s, e) from the page cache and unmaps them everywhere (truncate_inode_pages_range, FIO-9). */
export const truncateRange = (k: Kernel, inode: Inode, s: number, e: number, opts: { zap: boolean; drop: boolean; cows?: boolean }): void => {
  if (opts.drop) {
    inode.alloc.delete(s, e);
    k.work += deleteKeys(inode.folios, s, e) + deleteKeys(inode.collapsed, s, e);
  }
  if (opts.zap) for (const m of inode.maps) k.work += deleteKeys(m.ptes, s, e);
  // Truncation (truncate_pagecache → unmap_mapping_range with even_cows) also discards the private
  // copies of MAP_PRIVATE mappings; a punch hole leaves them.
  if (opts.cows) {
    for (const m of inode.maps) {
      k.work += deleteKeys(m.anon, s, e);
      // The same even_cows zap drops poison markers (zap_nonpresent_ptes: should_zap_cows).
      const a = Math.max(s, m.pgoff) - m.pgoff;
      const b = Math.min(e, m.pgoff + m.npages) - m.pgoff;
      if (a < b) m.poison.delete(a, b);
    }
  }
  // Guest mappings of the range go too (kvm_gmem_invalidate_begin).
  for (const b of inode.bindings) {
    const a = Math.max(s, b.start);
    const z = Math.min(e, b.end);
    if (a < z) k.work += deleteKeys(b.vm.sptes, b.slot.gfn + (a - b.start), b.slot.gfn + (z - b.start));
  }
};

/** Deletes keys in [s, e), iterating whichever is smaller: the map or the range. */
export const deleteKeys = <V>(m: Map<number, V> | Set<number>, s: number, e: number): number => {
  if (m.size === 0 || e <= s) return 0;
  if (m.size < e - s) {
    const n = m.size;
    for (const p of [...m.keys()]) if (p >= s && p < e) m.delete(p);
    return n;
  }
  for (let p = s; p < e; p += 1) m.delete(p);
  return e - s;
};
