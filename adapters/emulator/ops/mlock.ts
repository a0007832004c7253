/**
 * mlock/mlock2/munlock and msync on an emulated mapping. The mapping's offsets stand for
 * addresses (base 0, nothing else mapped): a range that leaves the mapping meets a hole.
 * mlock (un)locks the mapped pages of the range, fails with ENOMEM at a hole without populating,
 * and otherwise faults the range in page by page (FOLL_FORCE; a private writable mapping gets its
 * copies), ENOMEM at the first page that will not come in. msync changes nothing: MS_INVALIDATE
 * on a locked page is EBUSY, MS_SYNC on a shared gmem mapping EINVAL (no fsync).
 */
import { MS, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { pageProt } from '../prot.js';
import { asU64, P, U64 } from '../i64.js';
import { reachPage } from '../gup.js';
import { noDirectMap } from '../pagecache.js';

export const mlock = (k: Kernel, op: OpOf<'mlock'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (op.call === 'MLOCK2' && (op.flags & ~1) !== 0) return err('EINVAL');
  const off = asU64(op.offset);
  const inPage = off % P;
  const start = off - inPage;
  const len = ((asU64(op.length) + inPage) % U64 + P - 1n) / P * P % U64;
  if (len === 0n) return ok();
  if (start + len >= U64) return err('EINVAL');
  const s = Number(start / P);
  if (s >= m.npages) return err('ENOMEM');
  const want = (start + len) / P;
  const e = want > BigInt(m.npages) ? m.npages : Number(want);
  const lock = op.call !== 'MUNLOCK';
  const onfault = op.call === 'MLOCK2' && (op.flags & 1) !== 0;
  // The NO_DIRECT_MAP series: the VMA is never locked (not even ONFAULT) and the populate that
  // follows is refused by GUP, which mlock reports as ENOMEM.
  if (lock && noDirectMap(k, m.inode)) {
    if (!k.bug('ndm-mlock-locks')) return err('ENOMEM');
    // Bug: the VMA is locked and the populate goes through the fault path, which serves it.
    if (want <= BigInt(m.npages)) {
      m.locked.set(s, e, true);
      return ok();
    }
  }
  // A plain mlock clears VM_LOCKONFAULT, mlock2(ONFAULT) sets it: apply_vma_lock_flags replaces both bits.
  if (lock) m.locked.set(s, e, onfault ? 'onfault' : true);
  else m.locked.delete(s, e);
  if (want > BigInt(m.npages)) return err('ENOMEM');
  // Bug: MLOCK_ONFAULT populates like a plain mlock.
  if (!lock || (onfault && !(m.inode.kind === 'gmem' && k.bug('onfault-populates')))) return ok();
  // VMA by VMA (populate_vma_page_range): an inaccessible one is EFAULT (ENOMEM); FOLL_WRITE is
  // each private writable VMA's own.
  for (let mp = s; mp < e; mp += 1) {
    const prot = pageProt(m, mp);
    if ((prot & 7) === 0) return err('ENOMEM');
    if (!reachPage(k, m, mp, !m.shared && (prot & 2) !== 0, 'force')) return err('ENOMEM');
  }
  return ok();
};

export const msync = (k: Kernel, op: OpOf<'msync'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if ((op.flags & ~(MS.ASYNC | MS.INVALIDATE | MS.SYNC)) !== 0) return err('EINVAL');
  const off = asU64(op.offset);
  if (off % P !== 0n || ((op.flags & MS.ASYNC) !== 0 && (op.flags & MS.SYNC) !== 0)) return err('EINVAL');
  const len = (asU64(op.length) + P - 1n) / P * P % U64;
  if (off + len >= U64) return err('ENOMEM');
  if (len === 0n) return ok();
  const s = Number(off / P);
  if (s >= m.npages) return err('ENOMEM');
  const want = (off + len) / P;
  const e = want > BigInt(m.npages) ? m.npages : Number(want);
  // VMA by VMA from the start, read off the locked runs (a page loop took seconds on a mapping of
  // 2^28 pages): MS_INVALIDATE on a locked page is EBUSY; MS_SYNC on a shared gmem VMA EINVAL, at
  // its first page already (so only a locked first page can answer EBUSY before it).
  // Bug: MS_INVALIDATE ignores VM_LOCKED.
  const busy = (op.flags & MS.INVALIDATE) !== 0 && !(m.inode.kind === 'gmem' && k.bug('msync-invalidate-locked'));
  if (s < e && (op.flags & MS.SYNC) !== 0 && m.shared && m.inode.kind === 'gmem') return busy && m.locked.has(s) ? err('EBUSY') : err('EINVAL');
  if (busy && m.locked.overlaps(s, e).length > 0) return err('EBUSY');
  return want > BigInt(m.npages) ? err('ENOMEM') : ok();
};
