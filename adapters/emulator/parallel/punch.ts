/**
 * fallocate(PUNCH_HOLE | KEEP_SIZE) on a guest_memfd, split as kvm_gmem_punch_hole does it
 * (virt/kvm/guest_memfd.c, v6.18 and v7.2): the invalidate lock exclusive; the guest mappings of
 * the range invalidated; then truncate_inode_pages_range, which takes each folio's lock in turn,
 * unmaps it from every host mapping and removes it; then the lock is released. A host fault does
 * not take the invalidate lock, so it can run between two folios of a long punch — the folio lock
 * is what orders a fault and the removal of its folio. Every other fallocate (allocation; memfd,
 * whose shmem punch makes faults into the hole wait until it is done) runs whole (./atomic.ts).
 */
import { FALLOC, ok, type OpOf } from '../../../spec/vocab/index.js';
import { gmemFallocCheck, punchOpts, vfsCheck } from '../ops/fallocate.js';
import { asLoff } from '../i64.js';
import { filePages, truncateRange } from '../pagecache.js';
import type { Inode } from '../state.js';
import type { OpGen, Par } from './engine.js';
import { atomic } from './atomic.js';
import { folioLock, invalLock } from './locks.js';

/** The next page at or after `from` and before `end` with a folio in the page cache. */
const nextFolio = (inode: Inode, from: number, end: number): number | undefined => {
  let best: number | undefined;
  for (const p of inode.folios.keys()) if (p >= from && p < end && (best === undefined || p < best)) best = p;
  return best;
};

export function* fallocTask(x: Par, op: OpOf<'fallocate'>): OpGen {
  const k = x.k;
  const f = k.fds.get(op.fd);
  if (f === undefined || f.inode.kind !== 'gmem' || (op.mode & FALLOC.PUNCH_HOLE) === 0) return yield* atomic(x, op);
  const inode = f.inode;
  const off = asLoff(op.offset);
  const len = asLoff(op.len);
  const bad = vfsCheck(op.mode, off, len) ?? gmemFallocCheck(k, inode, op.mode, off, len);
  if (bad) return bad;
  const s = Number(off / 4096n);
  const e = Math.min(Number((off + len + 4095n) / 4096n), filePages(inode));
  const inval = invalLock(inode.ino, 'W');
  yield { kind: 'acquire', locks: [inval] };
  if (e > s) {
    // Guest mappings and untouched allocations of the range (no folio lock can be held on those).
    const opts = punchOpts(k, inode);
    if (opts.drop) inode.alloc.delete(s, e);
    truncateRange(k, inode, s, e, { zap: false, drop: false });
    for (let p = nextFolio(inode, s, e); p !== undefined; p = nextFolio(inode, p + 1, e)) {
      const l = folioLock(inode.ino, p);
      yield { kind: 'acquire', locks: [l] };
      truncateRange(k, inode, p, p + 1, opts);
      x.release(l);
    }
  }
  x.release(inval);
  return ok();
}
