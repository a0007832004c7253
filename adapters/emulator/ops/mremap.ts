/**
 * setVmaName: prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME). The emulator models a kernel built with
 * CONFIG_ANON_VMA_NAME (the native host lacks it and answers EINVAL to everything, so the two
 * targets cover both builds). Order (kernel/sys.c, mm/madvise.c, v7.2): the name is copied and
 * checked first (too long or a refused character: EINVAL), then the start's alignment, the
 * length's rounding and wrap, an empty range (0), then the VMA walk: every mapping here maps a
 * file that is not anonymous shmem, so the first VMA met answers EBADF; none met: ENOMEM.
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { aligned, asU64, P, TASK_SIZE, U64 } from '../i64.js';
import { getRef, putRef } from '../lifetime.js';
import type { RangeMap } from '../rangemap.js';
import type { Mapping } from '../state.js';
import { reachPage } from '../gup.js';
import { unmap } from './mmap.js';
import { pieceOf } from './mmrange.js';
import { vmaOf } from './observe.js';

export const setVmaName = (k: Kernel, op: OpOf<'setVmaName'>): Outcome => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (op.name === 'badChar' || op.name === 'tooLong') return err('EINVAL');
  const start = asU64(op.offset);
  if (!aligned(start)) return err('EINVAL');
  const len = asU64(op.length);
  const rounded = asU64(len + P - 1n) & ~(P - 1n);
  if (len !== 0n && rounded === 0n) return err('EINVAL');
  if (start + rounded >= 1n << 64n) return err('EINVAL');
  if (rounded === 0n) return ok();
  if (start / P >= BigInt(m.npages)) return err('ENOMEM');
  // Bug: a gmem VMA takes the name as if it were anonymous memory.
  if (m.inode.kind === 'gmem' && k.bug('gmem-vma-named')) return ok();
  return err('EBADF');
};

/**
 * mremap (mm/mremap.c, v6.18/v7.2). The emulator's address space is isolated (a free gap after
 * every mapping), so a grow always fits in place. Order: the flag bits; new_len 0 or past
 * TASK_SIZE; for FIXED or DONTUNMAP the MAYMOVE requirement, DONTUNMAP's equal sizes and the
 * overlap of the two ranges; then a FIXED move without a size change walks every VMA of the range
 * (remap_move), anything else looks at the first VMA only (check_prep_vma): a private duplicate is
 * EINVAL, old_size past that VMA EFAULT (a shrink bounds new_size instead, and one with neither a
 * new address nor growth is not bounded at all). The result is the new handle; M is dead unless
 * DONTUNMAP kept it (emptied of its page tables, unlocked) or it was duplicated (old_size 0). A
 * moved VMA loses its uffd context: EVENT_REMAP is never enabled here.
 */
const MAYMOVE = 1n;
const FIXED = 2n;
const DONTUNMAP = 4n;

/** Slots that named M's address now name `id` (the same address: an in-place result). */
const retarget = (k: Kernel, from: number, to: number): void => {
  for (const vm of k.vms.values()) {
    for (const [sid, sl] of vm.slots) {
      if (sl.uaddr.kind === 'map' && sl.uaddr.map === from) vm.slots.set(sid, { ...sl, uaddr: { ...sl.uaddr, map: to } });
    }
  }
};

/** M's first `keep` pages grown to `pages`, the new pages carrying the attributes of its last VMA page. */
const reshaped = (m: Mapping, id: number, keep: number, pages: number, length: bigint): Mapping => {
  const base = pieceOf(m, id, 0, Math.min(keep, pages, m.npages));
  const n: Mapping = { ...base, npages: pages, length };
  if (pages > keep) {
    const at = Math.max(keep - 1, 0);
    const copy = <V>(to: RangeMap<V>, from: RangeMap<V>): void => { const v = from.get(at); if (v !== undefined) to.set(keep, pages, v); };
    copy(n.vmaPolicy, m.vmaPolicy); copy(n.uffd, m.uffd); copy(n.hugepage, m.hugepage); copy(n.locked, m.locked); copy(n.advised, m.advised);
  }
  if (keep === 0) { n.ptes.clear(); n.anon.clear(); n.guard.clear(); n.wp.clear(); }
  return n;
};

/** A grown VM_LOCKED VMA populates its new pages, stopping quietly at the first that will not come in. */
const populateNew = (k: Kernel, n: Mapping, from: number): void => {
  if (!n.locked.has(Math.max(from - 1, 0)) || (n.prot & 7) === 0) return;
  const write = !n.shared && (n.prot & 2) !== 0;
  for (let mp = from; mp < n.npages; mp += 1) if (!reachPage(k, n, mp, write, 'force')) break;
};

export const mremap = (k: Kernel, op: OpOf<'mremap'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  const t = op.to.kind === 'over' ? k.liveMap(op.to.map) : undefined;
  const gmem = m.inode.kind === 'gmem';
  const fl = t === undefined ? op.flags & ~FIXED : op.flags;
  if ((fl & ~(MAYMOVE | FIXED | DONTUNMAP)) !== 0n) return err('EINVAL');
  const newLen = ((asU64(op.newLength) + P - 1n) / P * P) % U64;
  if (newLen === 0n || newLen > TASK_SIZE) return err('EINVAL');
  const oldLen = op.oldSize === 'zero' ? 0n : BigInt(m.npages) * P;
  const fixed = (fl & FIXED) !== 0n;
  const dontunmap = (fl & DONTUNMAP) !== 0n;
  const newAddr = fixed || dontunmap;
  if (newAddr) {
    if ((fl & MAYMOVE) === 0n) return err('EINVAL');
    // Bug: DONTUNMAP with a size change accepted.
    if (dontunmap && oldLen !== newLen && !(gmem && k.bug('mremap-dontunmap-resize'))) return err('EINVAL');
    if (t === m && oldLen > 0n) return err('EINVAL');
  }
    const dontExpand = gmem && k.profile.variants.vmaExpand === 'DENY';
  const oldPages = Number(oldLen / P);
  const newPages = Number(newLen / P);
  const firstEnd = vmaOf(m, 0)[1];

  /** M's range (after a shrink: its head) moved to a new handle; M unmapped, emptied or kept. */
  const move = (): Outcome => {
    const n = reshaped(m, op.id, oldPages, newPages, asU64(op.newLength));
    n.uffd.clear();
    n.wp.clear();
    k.claim(k.maps, op.id, n, 'map');
    m.inode.maps.add(n);
    getRef(m.inode);
    if (oldPages === 0) {
      // The duplicate: M untouched, the new mapping starts without page tables.
    } else if (dontunmap) {
      m.ptes.clear(); m.anon.clear(); m.guard.clear(); m.wp.clear(); m.locked.clear();
    } else {
      m.alive = false;
      m.ptes.clear(); m.anon.clear();
      m.inode.maps.delete(m);
      putRef(k, m.inode);
    }
    populateNew(k, n, oldPages);
    return ok({ moved: true });
  };
  /** A fixed target's range is unmapped first: T wholly or its head (its tail stays, unreachable). */
  const coverTarget = (): void => {
    if (t === undefined) return;
    if (newLen >= BigInt(t.npages) * P) { unmap(k, t); return; }
    t.alive = false; t.ptes.clear(); t.anon.clear(); t.inode.maps.delete(t);
  };

  if (fixed && oldLen === newLen) {
    if (dontunmap && dontExpand) return err('EINVAL');
    const multi = firstEnd < m.npages;
    if (multi && m.uffd.overlaps(0, m.npages).length > 0) {
      if (m.uffd.get(0) !== undefined) return err('EFAULT');
      // The VMAs before the first armed one were moved before the walk stopped: M is gone from its handle.
      coverTarget();
      m.alive = false;
      m.ptes.clear(); m.anon.clear();
      m.inode.maps.delete(m);
      return err('EFAULT');
    }
    coverTarget();
    return move();
  }
  const shrink = oldLen > newLen;
  if (!(newLen > oldLen || newAddr)) {
    // Bug: a shrink in place keeps the whole mapping.
    const keep = gmem && k.bug('mremap-shrink-keeps-tail') ? m.npages : newPages;
    const n = reshaped(m, op.id, keep, keep, asU64(op.newLength));
    m.alive = false;
    m.inode.maps.delete(m);
    k.claim(k.maps, op.id, n, 'map');
    m.inode.maps.add(n);
    retarget(k, op.map, op.id);
    return ok({ moved: false });
  }
  if (oldLen === 0n && !m.shared) return err('EINVAL');
  if (dontunmap && dontExpand) return err('EINVAL');
  if ((shrink ? newLen : oldLen) > BigInt(firstEnd) * P) return err('EFAULT');
  if (!shrink && newLen !== oldLen && dontExpand) return err('EFAULT');
  if (newAddr) {
    if (fixed) {
      coverTarget();
      if (t === m) return err('EFAULT');
    }
    return move();
  }
  if (oldLen === 0n) return (fl & MAYMOVE) !== 0n ? move() : err('ENOMEM');
  // In place: the gap after every mapping is free.
  const n = reshaped(m, op.id, m.npages, newPages, asU64(op.newLength));
  m.alive = false;
  m.inode.maps.delete(m);
  k.claim(k.maps, op.id, n, 'map');
  m.inode.maps.add(n);
  retarget(k, op.map, op.id);
  populateNew(k, n, m.npages);
  return ok({ moved: false });
};
