/**
 * madvise on a gmem or memfd mapping (MAP-6..8, MAP-14): DONTNEED zaps PTEs only, REMOVE is a
 * punch through vfs_fallocate, HUGEPAGE is accepted without effect, COLLAPSE is refused
 * (P-THP-COLLAPSE), POPULATE_* fault through GUP. Holes in the range → ENOMEM after the mapped part.
 */
import { err, ok, PROT } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { firstDenied } from '../prot.js';
import { aligned, asU64, P } from '../i64.js';
import { gupPage } from '../gup.js';
import { deleteKeys, noDirectMap, truncateRange } from '../pagecache.js';
import { punchPages } from './fallocate.js';
import type { Mapping } from '../state.js';

export const madvise = (k: Kernel, op: OpOf<'madvise'>): Outcome => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  const off = asU64(op.offset);
  const len = asU64(op.length);
  if (!aligned(off)) return err('EINVAL');
  if (op.advice.startsWith('UNKNOWN_')) return err('EINVAL');
  // PAGE_ALIGN on an unsigned long: a length within a page of 2^64 rounds up to 0, which
  // madvise_should_skip refuses as EINVAL (mm/madvise.c, v6.18). Found by the declaration-derived
  // generator (negative lengths as size_t); the hand template never drew one.
  const alen = asU64(len + P - 1n) & ~(P - 1n);
  if (len !== 0n && alen === 0n) return err('EINVAL');
  if (alen === 0n) return ok();
  // start + len past 2^64 (from any mapping address, which is above 0): the end wraps below the
  // start, EINVAL before any VMA is looked at (madvise_should_skip, v6.18).
  if (off + alen >= 1n << 64n) return err('EINVAL');
  const s = Number(off / P);
  if (s >= m.npages) return err('ENOMEM');
  const want = s + Number(alen / P);
  const e = Math.min(want, m.npages);
  const r = advise(k, m, op.advice, s, e);
  if (r.kind !== 'ok') return r;
  return want > m.npages ? err('ENOMEM') : r;
};

/** madvise_walk_vmas: VMA by VMA; an mlocked one refuses the advices that discard or reclaim (MAP-28). */
const REFUSED_LOCKED = new Set(['DONTNEED', 'FREE', 'REMOVE', 'COLD', 'PAGEOUT']);

const advise = (k: Kernel, m: Mapping, advice: OpOf<'madvise'>['advice'], s: number, e: number): Outcome => {
  if (REFUSED_LOCKED.has(advice) && !(m.inode.kind === 'gmem' && k.bug('dontneed-ignores-mlock'))) {
    // The first locked page of the range, read off the locked runs (a page loop took up to a
    // second on a terabyte mapping: the benchmark's emulator throughput fell to a third).
    const mp = m.locked.overlaps(s, e).reduce((first, [a]) => Math.min(first, Math.max(a, s)), Number.POSITIVE_INFINITY);
    if (mp < e) {
      // The VMAs before the locked one were advised first; their own error wins (REMOVE on a private VMA: EACCES).
      const before = mp > s && (advice === 'DONTNEED' || advice === 'REMOVE') ? advise(k, m, advice, s, mp) : ok();
      return before.kind === 'ok' ? err('EINVAL') : before;
    }
  }
  switch (advice) {
    case 'FREE':
    case 'WIPEONFORK':
      // Anonymous memory only (MAP-16).
      return k.bug('wipeonfork-accepted') && m.inode.kind === 'gmem' ? ok() : err('EINVAL');
    case 'NORMAL': case 'RANDOM': case 'SEQUENTIAL': case 'DONTFORK': case 'DOFORK': case 'MERGEABLE':
    case 'UNMERGEABLE': case 'NOHUGEPAGE': case 'DONTDUMP': case 'DODUMP':
      flagVma(m, advice, s, e);
      return ok();
    case 'WILLNEED': case 'KEEPONFORK':
      return ok();
    case 'COLD':
    case 'PAGEOUT':
      // Bug: the reclaim hints drop gmem folios as if they were evictable (their bytes are lost).
      if (m.inode.kind === 'gmem' && k.bug('pageout-drops-gmem')) truncateRange(k, m.inode, m.pgoff + s, m.pgoff + e, { zap: true, drop: true });
      // shmem without swap: reclaim unmaps the page-cache folios, then keeps them (private copies
      // stay mapped). A folio another VMA maps too is left alone (folio_mapcount != nr_pages).
      if (advice === 'PAGEOUT' && m.inode.kind === 'memfd') {
        for (const p of [...m.ptes.keys()]) {
          if (p >= m.pgoff + s && p < m.pgoff + e && ![...m.inode.maps].some((o) => o !== m && o.alive && o.ptes.has(p) && !o.anon.has(p))) m.ptes.delete(p);
        }
      }
      return ok();
    case 'UNKNOWN_5': case 'UNKNOWN_26': case 'UNKNOWN_104': case 'UNKNOWN_BIT31':
      return err('EINVAL');
    case 'DONTNEED':
    case 'DONTNEED_LOCKED':
      if (k.bug('dontneed-frees') && m.inode.kind === 'gmem') {
        truncateRange(k, m.inode, m.pgoff + s, m.pgoff + e, { zap: true, drop: true });
      }
      deleteKeys(m.ptes, m.pgoff + s, m.pgoff + e);
      deleteKeys(m.anon, m.pgoff + s, m.pgoff + e);
      // zap_page_range_single has no details: poison markers go too (uffd-wp and guard markers stay).
      m.poison.delete(s, e);
      return ok();
    case 'REMOVE':
      // madvise_remove: needs a shared writable-capable VMA, then punches the file range (MAP-7).
      if (!m.shared) return err('EACCES');
      if (k.bug('madv-remove-noop') && m.inode.kind === 'gmem') return ok();
      if (m.inode.kind === 'gmem') punchPages(k, m.inode, m.pgoff + s, m.pgoff + e);
      else truncateRange(k, m.inode, m.pgoff + s, m.pgoff + e, { zap: true, drop: true });
      return ok();
    case 'HUGEPAGE':
      m.hugepage.set(s, e, true);
      flagVma(m, advice, s, e);
      return ok();
    case 'COLLAPSE':
      return collapse(k, m, s, e);
    case 'POPULATE_READ':
    case 'POPULATE_WRITE':
      return populate(k, m, s, e, advice === 'POPULATE_WRITE');
    case 'GUARD_INSTALL':
      return guardInstall(k, m, s, e);
    case 'GUARD_REMOVE':
      if (k.profile.variants.guardFile === 'EINVAL') return err('EINVAL');
      // Allowed on mlocked VMAs: nothing is zapped. A uffd-wp bit on a marker goes with it.
      for (const [a, b] of m.guard.overlaps(s, e)) m.wp.delete(Math.max(a, s), Math.min(b, e));
      m.guard.delete(s, e);
      return ok();
  }
};

/** VMA flag bits madvise sets (the smaps VmFlags letters they show as). */
export const ADVISED = { sr: 1, rr: 2, dc: 4, dd: 8, nh: 16, mg: 32 } as const;

/**
 * The VMA flags of an advice (mm/madvise.c madvise_vma_behavior): SEQUENTIAL and RANDOM replace
 * each other, NORMAL clears both; HUGEPAGE and NOHUGEPAGE exclude each other; KSM ignores
 * MERGEABLE on a shared VMA.
 */
const flagVma = (m: Mapping, advice: OpOf<'madvise'>['advice'], s: number, e: number): void => {
  const A = ADVISED;
  const [set, clear] = ((): [number, number] => {
    switch (advice) {
      case 'NORMAL': return [0, A.sr | A.rr];
      case 'SEQUENTIAL': return [A.sr, A.rr];
      case 'RANDOM': return [A.rr, A.sr];
      case 'DONTFORK': return [A.dc, 0];
      case 'DOFORK': return [0, A.dc];
      case 'DONTDUMP': return [A.dd, 0];
      case 'DODUMP': return [0, A.dd];
      case 'NOHUGEPAGE': return [A.nh, 0];
      case 'HUGEPAGE': return [0, A.nh];
      case 'MERGEABLE': return [m.shared ? 0 : A.mg, 0];
      case 'UNMERGEABLE': return [0, A.mg];
      default: return [0, 0];
    }
  })();
  if (advice === 'NOHUGEPAGE') m.hugepage.delete(s, e);
  // Rewrite [s, e) run by run (gaps hold 0), never page by page: a mapping may be a terabyte.
  const pieces: [number, number, number][] = [];
  let at = s;
  for (const [a, b, v] of m.advised.overlaps(s, e)) {
    if (a > at) pieces.push([at, a, 0]);
    pieces.push([a, b, v]);
    at = b;
  }
  if (at < e) pieces.push([at, e, 0]);
  for (const [a, b, v] of pieces) {
    const nv = (v | set) & ~clear;
    if (nv === 0) m.advised.delete(a, b); else m.advised.set(a, b, nv);
  }
};

/**
 * MADV_GUARD_INSTALL, VMA by VMA: an mlocked page ends the walk with EINVAL (is_valid_guard_vma
 * refuses to zap a locked VMA), the pages before it get their markers. Each marked page loses its
 * PTE and its private copy first (zap_vma_range); a kernel before v6.15 refuses any file VMA.
 */
const guardInstall = (k: Kernel, m: Mapping, s: number, e: number): Outcome => {
  if (k.profile.variants.guardFile === 'EINVAL') return err('EINVAL');
  // Run by run, never page by page (a mapping may be a terabyte): the walk stops at the first
  // locked page; every page before it loses its PTE and private copy and gets a marker.
  let stop = e;
  for (const [a] of m.locked.overlaps(s, e)) { stop = Math.max(a, s); break; }
  const keepPte = m.inode.kind === 'gmem' && k.bug('guard-install-keeps-pte');
  const lo = m.pgoff + s;
  const hi = m.pgoff + stop;
  for (const page of [...m.ptes.keys()]) if (!keepPte && page >= lo && page < hi) m.ptes.delete(page);
  for (const page of [...m.anon.keys()]) if (page >= lo && page < hi) m.anon.delete(page);
  if (stop > s) m.guard.set(s, stop, true);
  // A non-none PTE (a poison marker) is zapped before the guard marker goes in.
  m.poison.delete(s, stop);
  return stop < e ? err('EINVAL') : ok();
};

/**
 * MAP-8: gmem (anon inode, THP denied) and memfd (shmem THP off) refuse with EINVAL. Unpatched
 * kernels build a large folio from resident pages; the next fault on it raises SIGBUS (S19).
 */
const collapse = (k: Kernel, m: Mapping, s: number, e: number): Outcome => {
  const unpatched = k.profile.variants.thpCollapse === 'UNPATCHED' || k.bug('collapse-accepted');
  if (m.inode.kind !== 'gmem' || !unpatched) return err('EINVAL');
  for (let mp = s; mp < e && mp - s < 512; mp += 1) {
    const page = m.pgoff + mp;
    if (k.profile.variants.thpCollapse === 'UNPATCHED' && m.inode.folios.get(page)?.uptodate) {
      m.inode.collapsed.add(page);
      m.ptes.delete(page);
    }
  }
  return ok();
};

/** POPULATE_*: GUP each page; SIGBUS-class failures → EFAULT; NO_DIRECT_MAP → EINVAL (as secretmem, DMAP-5). */
const populate = (k: Kernel, m: Mapping, s: number, e: number, write: boolean): Outcome => {
  if (noDirectMap(k, m.inode)) return err('EINVAL');
  // The VMA's permission check fails the populate before any fault: EINVAL (VM_READ, or VM_WRITE
  // for a write; x86 PROT_WRITE alone does not set VM_READ).
  // A later VMA of the range (a partial mprotect) is refused the same way once the walk reaches it.
  const need = write ? PROT.WRITE : PROT.READ;
  const denied = firstDenied(m, s, e, (prot) => (prot & need) !== 0) ?? e;
  if (denied === s && !(m.inode.kind === 'gmem' && k.bug('populate-prot-efault'))) return err('EINVAL');
  // The first page past EOF or refused by the fault handler ends the walk, so this never runs past i_size.
  for (let mp = s; mp < e; mp += 1) {
    if (mp === denied && mp > s) return err('EINVAL');
    // FOLL_HWPOISON: a poison marker's VM_FAULT_HWPOISON is EHWPOISON, not EFAULT.
    if (m.poison.has(mp) && mp < m.npages) return err('EHWPOISON');
    if (!gupPage(k, m, mp, write)) return err('EFAULT');
  }
  return ok();
};
