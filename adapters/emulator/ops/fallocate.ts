/**
 * fallocate: vfs_fallocate's generic checks, then kvm_gmem_fallocate (FIO-3..10) or
 * shmem_fallocate for memfd.
 */
import { err, FALLOC, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Inode } from '../state.js';
import { aligned, asLoff, LOFF_MAX } from '../i64.js';
import { allocateRange, makeUptodate, truncateRange } from '../pagecache.js';

const SUPPORTED = FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE | FALLOC.COLLAPSE_RANGE | FALLOC.ZERO_RANGE |
  FALLOC.INSERT_RANGE | FALLOC.UNSHARE_RANGE | FALLOC.WRITE_ZEROES;

/** The VFS part (FIO-5): offset < 0 or len <= 0 → EINVAL; mode bits → EOPNOTSUPP; overflow → EFBIG. */
export const vfsCheck = (mode: number, off: bigint, len: bigint): Outcome | null => {
  if (off < 0n || len <= 0n) return err('EINVAL');
  if ((mode & ~SUPPORTED) !== 0 || mode < 0) return err('EOPNOTSUPP');
  const kind = mode & ~FALLOC.KEEP_SIZE;
  if (kind === FALLOC.PUNCH_HOLE && !(mode & FALLOC.KEEP_SIZE)) return err('EOPNOTSUPP');
  if ((kind === FALLOC.COLLAPSE_RANGE || kind === FALLOC.INSERT_RANGE || kind === FALLOC.WRITE_ZEROES) && mode & FALLOC.KEEP_SIZE) {
    return err('EOPNOTSUPP');
  }
  if (![0, FALLOC.PUNCH_HOLE, FALLOC.COLLAPSE_RANGE, FALLOC.ZERO_RANGE, FALLOC.INSERT_RANGE, FALLOC.UNSHARE_RANGE, FALLOC.WRITE_ZEROES].includes(kind)) {
    return err('EOPNOTSUPP');
  }
  if (off + len > LOFF_MAX) return err('EFBIG');
  return null;
};

export const fallocate = (k: Kernel, op: OpOf<'fallocate'>): Outcome => {
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  const off = asLoff(op.offset);
  const len = asLoff(op.len);
  const vfs = vfsCheck(op.mode, off, len);
  if (vfs) return vfs;
  return f.inode.kind === 'gmem' ? gmemFallocate(k, f.inode, op.mode, off, len) : shmemFallocate(k, f.inode, op.mode, off, len);
};

/** kvm_gmem_fallocate's checks: KEEP_SIZE required (FIO-3), only PUNCH_HOLE besides (FIO-4), aligned (FIO-6). */
export const gmemFallocCheck = (k: Kernel, inode: Inode, mode: number, off: bigint, len: bigint): Outcome | null => {
  if (k.bug('vm-close-kills-gmem') && inode.vm && !inode.vm.fdOpen) return err('EIO');
  if (!(mode & FALLOC.KEEP_SIZE)) return err('EOPNOTSUPP');
  if (mode & ~(FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE)) return err('EOPNOTSUPP');
  const punch = (mode & FALLOC.PUNCH_HOLE) !== 0;
  if ((!aligned(off) || !aligned(len)) && !(punch && k.bug('punch-unaligned-accepted'))) return err('EINVAL');
  if (punch && k.bug('punch-past-eof-einval') && off + len > inode.size) return err('EINVAL');
  return null;
};

export const gmemFallocate = (k: Kernel, inode: Inode, mode: number, off: bigint, len: bigint): Outcome => {
  const bad = gmemFallocCheck(k, inode, mode, off, len);
  if (bad) return bad;
  const s = Number(off / 4096n);
  const e = Number((off + len + 4095n) / 4096n);
  if (mode & FALLOC.PUNCH_HOLE) {
    punchPages(k, inode, s, e);
    return ok();
  }
  // FIO-7: allocation must lie inside the file; nothing is allocated otherwise.
  if (off + len > inode.size && !k.bug('alloc-past-eof')) return err('EINVAL');
  const fileEnd = Number((inode.size + 4095n) / 4096n);
  allocateRange(k, inode, s, Math.min(e, fileEnd));
  return ok();
};

/** Punch (FIO-8/9, MAP-7): clipped to the file; PTEs zapped, folios dropped, guest SPTEs zapped. */
export const punchPages = (k: Kernel, inode: Inode, s: number, e: number): void => {
  const fileEnd = Number((inode.size + 4095n) / 4096n);
  const end = Math.min(e, fileEnd);
  if (end <= s) return;
  if (inode.kind === 'gmem') dropMappedGuards(inode, s, end, k.bug('gmem-punch-drops-guards'));
  truncateRange(k, inode, s, end, punchOpts(k, inode));
};

/**
 * kvm_gmem_punch_hole truncates without unmapping first: a folio some mapping still maps is
 * unmapped by unmap_mapping_folio, whose zap drops PTE markers, so every mapping's guard markers
 * on that file page go (MAP-30). Unmapped folios are dropped without a zap: markers stay.
 */
const dropMappedGuards = (inode: Inode, s: number, e: number, all: boolean): void => {
  // Bug gmem-punch-drops-guards: every marker of the range goes, mapped folio or not.
  if (all) for (const m of inode.maps) m.guard.delete(Math.max(s, m.pgoff) - m.pgoff, Math.max(Math.min(e, m.pgoff + m.npages) - m.pgoff, 0));
  // Walk the PTEs (a few faulted pages), not the range (a punch may span terabytes).
  const hit = new Set<number>();
  for (const m of inode.maps) for (const page of m.ptes.keys()) if (page >= s && page < e) hit.add(page);
  for (const page of hit) {
    for (const m of inode.maps) {
      if (page < m.pgoff || page >= m.pgoff + m.npages) continue;
      m.guard.delete(page - m.pgoff, page - m.pgoff + 1);
      // The same DROP_MARKER zap takes the uffd-wp bits and markers over the folio (UFD-20).
      m.wp.delete(page - m.pgoff, page - m.pgoff + 1);
    }
  }
};

/** What a punch zaps and drops. The zoo's bugs are guest_memfd bugs: the memfd control backing keeps correct shmem behaviour. */
export const punchOpts = (k: Kernel, inode: Inode): { zap: boolean; drop: boolean } => {
  const gmemBug = (id: Parameters<Kernel['bug']>[0]): boolean => inode.kind === 'gmem' && k.bug(id);
  return { zap: !gmemBug('punch-keeps-pte'), drop: !gmemBug('punch-no-zero') };
};

/** shmem_fallocate: PUNCH_HOLE or plain allocation (which extends i_size without KEEP_SIZE). */
const shmemFallocate = (k: Kernel, inode: Inode, mode: number, off: bigint, len: bigint): Outcome => {
  if (mode & ~(FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE)) return err('EOPNOTSUPP');
  const end = off + len;
  if (mode & FALLOC.PUNCH_HOLE) {
    // Whole pages go; the partial edges are zeroed (shmem_undo_range).
    const s = Number((off + 4095n) / 4096n);
    const e = Number(end / 4096n);
    truncateRange(k, inode, s, Math.max(s, e), { zap: true, drop: true });
    zeroBytes(inode, off, end);
    return ok();
  }
  const s = Number(off / 4096n);
  const e = Number((end + 4095n) / 4096n);
  // shmem_get_folio_gfp(SGP_FALLOC) finds a folio an earlier fallocate left not up to date and
  // clears it and marks it up to date now (mm/shmem.c, the `clear:` path), so from the second
  // fallocate on the page counts as resident (mincore) - measured on 6.18 by the native run.
  for (const [a, b, ext] of inode.alloc.overlaps(s, e)) if (!ext.uptodate) inode.alloc.set(a, b, { ...ext, uptodate: true });
  for (const [p, f] of inode.folios) if (p >= s && p < e) makeUptodate(f);
  allocateRange(k, inode, s, e);
  if (!(mode & FALLOC.KEEP_SIZE) && end > inode.size) inode.size = end;
  return ok();
};

const zeroBytes = (inode: Inode, from: bigint, to: bigint): void => {
  for (const edge of [from, to]) {
    const page = Number(edge / 4096n);
    const folio = inode.folios.get(page);
    if (!folio?.data) continue;
    const lo = page === Number(from / 4096n) ? Number(from % 4096n) : 0;
    const hi = page === Number(to / 4096n) ? Number(to % 4096n) : 4096;
    if (edge === to && hi === 0) continue;
    folio.data.fill(0, lo, hi);
  }
};
