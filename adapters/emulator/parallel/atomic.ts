/**
 * Ops the engine runs in one step: the locks each would take in the kernel must all be free, then
 * the sequential handler runs to completion. Running them whole never adds a behaviour the kernel
 * lacks (it only leaves some interleavings out); the ops whose steps matter for a race are split
 * instead (./access.ts, ./punch.ts, ./mfill.ts, ./convert.ts).
 */
import { FALLOC, type Op } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { step } from '../dispatch.js';
import type { Inode } from '../state.js';
import type { OpGen, Par } from './engine.js';
import { folioLock, invalLock, mmLock, slotsLock, type Lock } from './locks.js';

/** The file page a map-relative op lands on, if its map is live (branch ops touch one page). */
const mapPage = (k: Kernel, map: number, offset: bigint): { inode: Inode; page: number } | undefined => {
  const m = k.liveMap(map);
  return m === undefined || offset < 0n ? undefined : { inode: m.inode, page: m.pgoff + Number(offset / 4096n) };
};

const onPage = (at: { inode: Inode; page: number } | undefined): Lock[] => (at === undefined ? [] : [folioLock(at.inode.ino, at.page)]);

/** The locks the kernel takes for `op` (its first page only: branch ranges are one page). */
export const atomicLocks = (k: Kernel, op: Op): Lock[] => {
  switch (op.kind) {
    // mmap_lock for write: VMA changes (mprotect, mbind's VMA or shared policy, uffd registration).
    case 'mmap': case 'mmapEx': case 'munmap': case 'mprotect': case 'mprotectRange': case 'mbind': case 'uffdRegister':
      return [mmLock('W')];
    case 'madvise': {
      const at = mapPage(k, op.map, op.offset);
      // MADV_REMOVE punches the file (vfs_fallocate, the invalidate lock for guest_memfd).
      if (op.advice === 'REMOVE') return at === undefined ? [] : [...(at.inode.kind === 'gmem' ? [invalLock(at.inode.ino, 'W')] : []), ...onPage(at)];
      return [mmLock('R'), ...onPage(at)];
    }
    // GUP and the page-table walks hold mmap_lock for read; faulting a page in takes its folio lock.
    case 'mincore': case 'getMempolicy': case 'kernelAccess':
      return [mmLock('R'), ...onPage(mapPage(k, op.map, op.offset))];
    case 'fileIo': {
      const f = k.fds.get(op.fd);
      return f === undefined || op.offset < 0n ? [] : [folioLock(f.inode.ino, Number(op.offset / 4096n))];
    }
    case 'fallocate': {
      // Allocation: the invalidate lock shared (guest_memfd), then each folio's lock.
      const f = k.fds.get(op.fd);
      if (f === undefined || op.offset < 0n) return [];
      const inval = f.inode.kind === 'gmem' ? [invalLock(f.inode.ino, (op.mode & FALLOC.PUNCH_HOLE) !== 0 ? 'W' : 'R')] : [];
      return [...inval, folioLock(f.inode.ino, Number(op.offset / 4096n))];
    }
    case 'setMemoryRegion': {
      const f = op.gmem.kind === 'fd' ? k.fds.get(op.gmem.fd) : undefined;
      return [slotsLock(op.vm), ...(f === undefined ? [] : [invalLock(f.inode.ino, 'W')])];
    }
    default:
      return [];
  }
};

export function* atomic(x: Par, op: Op): OpGen {
  const locks = atomicLocks(x.k, op);
  yield { kind: 'acquire', locks };
  const out = step(x.k, op);
  for (const l of locks) x.release(l);
  return out;
}
