/**
 * UFFDIO_WRITEPROTECT (UFD-20): the range and mode checks, then the VMAs the range meets in
 * address order — each must be registered for WP by some context (VM_UFFD_WP), else ENOENT, the
 * VMAs before it keeping the change. Setting marks the pages' PTEs (or, with nothing mapped, puts a
 * uffd-wp marker there: shmem and guest_memfd are file VMAs, which always use markers); clearing
 * removes both. The modelled address space has nothing but the gap after a mapping, so a start
 * outside it finds no VMA and a range running past it changes the mapping's own pages only.
 */
import { CONVENTION, UFFD_MODE, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { P, asU64 } from '../i64.js';

const MODE_WP = 1n;
const MODE_DONTWAKE = 2n;
/** x86-64 TASK_SIZE_MAX with 4-level paging. */
const TASK_SIZE = CONVENTION.USER_TOP - P;

export const uffdWriteProtect = (k: Kernel, op: OpOf<'uffdWriteProtect'>): Outcome => {
  // Dead map: not issued; EFAULT (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (!k.uffds.get(op.uffd)) return err('EBADF');
  const start = asU64(op.offset);
  const len = asU64(op.length);
  const gmemBug = (id: 'uffdwp-gmem-wp-dontwake' | 'uffdwp-gmem-len-rounded'): boolean => m.inode.kind === 'gmem' && k.bug(id);
  if (start % P !== 0n || (len % P !== 0n && !gmemBug('uffdwp-gmem-len-rounded')) || len === 0n || len > TASK_SIZE) return err('EINVAL');
  if (op.offset >= 0n && start + len > TASK_SIZE) return err('EINVAL');
  if ((op.mode & ~(MODE_WP | MODE_DONTWAKE)) !== 0n || (op.mode === (MODE_WP | MODE_DONTWAKE) && !gmemBug('uffdwp-gmem-wp-dontwake'))) return err('EINVAL');
  const first = Number(start / P);
  if (op.offset < 0n || first >= m.npages) return err('ENOENT');
  const last = Math.min(m.npages, Number((start + len + P - 1n) / P));
  const set = (op.mode & MODE_WP) !== 0n;
  // The walk ends at the first page whose VMA has no WP registration (runs, not pages).
  let end = last;
  if (!(m.inode.kind === 'gmem' && k.bug('uffdwp-gmem-any-vma'))) {
    let at = first;
    let broke = false;
    for (const [a, b, reg] of m.uffd.overlaps(first, last)) {
      const ra = Math.max(a, first);
      if (ra > at) { end = at; broke = true; break; }
      if ((reg.mode & UFFD_MODE.WP) === 0n) { end = ra; broke = true; break; }
      at = Math.min(b, last);
    }
    if (!broke) end = at;
  }
  if (set) {
    m.wp.set(first, end, true);
    // change_pte_range skips a poison marker: no uffd-wp state there.
    for (const [a, b] of m.poison.overlaps(first, end)) m.wp.delete(Math.max(a, first), Math.min(b, end));
  }
  else m.wp.delete(first, end);
  return end < last ? err('ENOENT') : ok();
};
