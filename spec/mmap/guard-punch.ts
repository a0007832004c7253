/**
 * MAP-30 and guest_memfd's punch hole: kvm_gmem_punch_hole calls truncate_inode_pages_range with
 * no unmap_mapping_range before it, so a folio still mapped by some mapping is unmapped folio by
 * folio (truncate_cleanup_folio → unmap_mapping_folio), and that zap passes ZAP_FLAG_DROP_MARKER:
 * every mapping's guard markers over that folio's index go too (mm/truncate.c
 * truncate_cleanup_folio; mm/memory.c unmap_mapping_folio, zap_nonpresent_ptes;
 * virt/kvm/guest_memfd.c kvm_gmem_punch_hole, v6.18, v7.2). A folio no mapping maps is dropped
 * without a zap, and the markers stay. shmem unmaps the range first (shmem_fallocate,
 * shmem_setattr), so its folios are unmapped by then and its markers always stay.
 * Runs on the state before the punch zaps the PTEs; folios are order-0 here (LVL-5).
 */
import { imEach, imSet, type IMap } from '../state/imap.js';
import type { Inode, SpecState } from '../state/types.js';

export const dropGuardsOnGmemPunch = (s: SpecState, ino: Inode, fa: number, fb: number): SpecState => {
  if (ino.kind !== 'gmem') return s;
  // The file pages of [fa, fb) some mapping of the file maps (a PTE on the folio).
  let mapped: IMap<true> = null;
  for (const [, m] of s.maps) {
    if (m.inode !== ino.id) continue;
    const a = Math.max(fa, m.pgoff) - m.pgoff;
    const b = Math.min(fb, m.pgoff + m.pages) - m.pgoff;
    if (a >= b) continue;
    imEach(m.ptes, a, b, (x, y, v) => { if (v !== undefined) mapped = imSet(mapped, x + m.pgoff, y + m.pgoff, true); });
  }
  if (mapped === null) return s;
  let maps = s.maps;
  for (const [id, m] of s.maps) {
    if (m.inode !== ino.id) continue;
    let guard: IMap<true> = m.guard ?? null;
    // The same zap drops uffd-wp bits and markers over the folio (UFD-20): no marker replaces them.
    let wp: IMap<true | 'maybe'> = m.wp ?? null;
    imEach(mapped, m.pgoff, m.pgoff + m.pages, (x, y, v) => {
      if (v === undefined) return;
      if (guard !== null) guard = imSet(guard, x - m.pgoff, y - m.pgoff, undefined);
      if (wp !== null) wp = imSet(wp, x - m.pgoff, y - m.pgoff, undefined);
    });
    if (guard !== (m.guard ?? null) || wp !== (m.wp ?? null)) maps = maps.with(id, { ...m, ...(m.guard === undefined ? {} : { guard }), ...(m.wp === undefined ? {} : { wp }) });
  }
  return maps === s.maps ? s : { ...s, maps };
};
