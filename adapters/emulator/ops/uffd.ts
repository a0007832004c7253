/** userfaultfd(2) + UFFDIO_API, UFFDIO_REGISTER and resolve ioctls issued with no fault pending (UFD-1..11). */
import { CONVENTION, err, ok, UFFD_FEATURE, UFFD_MODE } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { aligned, asU64, P } from '../i64.js';
import { mfillPage } from '../mfill.js';
import { initShared } from '../share.js';
import type { Mapping } from '../state.js';
import { policyEq } from '../state.js';
import type { RangeMap } from '../rangemap.js';

/** The 17 features a 6.18 kernel advertises (0x1ffff, obs:UF-*); unknown bits of the __u64 → EINVAL (UFD-11). */
const KNOWN_FEATURES = 0x1ffffn;
const ALL_MODES = UFFD_MODE.MISSING | UFFD_MODE.WP | UFFD_MODE.MINOR;

export const uffdCreate = (k: Kernel, op: OpOf<'uffdCreate'>): Outcome => {
  if ((op.features & ~KNOWN_FEATURES) !== 0n) return err('EINVAL');
  k.claim(k.uffds, op.id, { id: op.id, features: op.features }, 'uffd');
  return ok();
};

/** Page range [s, e) of the map for a map-relative byte range, or an errno for validate_range. */
/** x86-64 TASK_SIZE_MAX with 4-level paging: one page below the top of user space. */
const TASK_SIZE = CONVENTION.USER_TOP - P;

export const pageRange = (offset: bigint, length: bigint): { s: number; e: number } | 'EINVAL' => {
  const off = asU64(offset);
  const len = asU64(length);
  if (!aligned(off) || !aligned(len) || len === 0n) return 'EINVAL';
  // validate_range (fs/userfaultfd.c): the range must end below TASK_SIZE, whatever the mapping's
  // address; a length or end past it is EINVAL before any VMA is looked at.
  if (len > TASK_SIZE || off + len > TASK_SIZE) return 'EINVAL';
  return { s: Number(off / P), e: Number((off + len) / P) };
};

/**
 * userfaultfd_register: mode bits, range, a VMA in the range (ENOMEM), vma_can_userfault per VMA
 * (EINVAL), another context already there (EBUSY). Holes after the first VMA are skipped.
 */
export const uffdRegister = (k: Kernel, op: OpOf<'uffdRegister'>): Outcome => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  const ctx = k.uffds.get(op.uffd);
  if (!ctx) return err('EBADF');
  if (op.mode === 0n || (op.mode & ~ALL_MODES) !== 0n) return err('EINVAL');
  const r = pageRange(op.offset, op.length);
  if (r === 'EINVAL') return err('EINVAL');
  if (r.s >= m.npages) return err('EINVAL');
  const e = Math.min(r.e, m.npages);
  if (!canUserfault(k, m, op.mode, (ctx.features & UFFD_FEATURE.WP_ASYNC) !== 0n)) return err('EINVAL');
  if (m.uffd.overlaps(r.s, e).some(([, , reg]) => reg.ctx !== ctx)) return err('EBUSY');
  // userfaultfd_register_range skips a VMA this context already registered with every requested
  // mode (its registration stays, superset and all); everything else takes exactly the new mode.
  const keep = m.uffd.overlaps(r.s, e).filter(([, , reg]) => reg.ctx === ctx && (reg.mode & op.mode) === op.mode);
  let at = r.s;
  for (const [a, b] of keep) {
    if (a > at) m.uffd.set(at, a, { ctx, mode: op.mode });
    at = b;
  }
  if (at < e) m.uffd.set(at, e, { ctx, mode: op.mode });
  return ok();
};

/**
 * vma_can_userfault. 6.18 (UFD-1): gmem only for WP alone with WP_ASYNC. Series (UFD-2/3):
 * INIT_SHARED gmem files, sync WP per P-UFFD-WP. shmem (memfd) registers in every mode.
 */
const canUserfault = (k: Kernel, m: Mapping, mode: bigint, wpAsync: boolean): boolean => {
  if (m.inode.kind === 'memfd') return true;
  if (wpAsync && mode === UFFD_MODE.WP) return true;
  if (!k.profile.features.uffd) return k.bug('uffd-register-gmem-618') && initShared(k, m.inode) && (mode & UFFD_MODE.WP) === 0n;
  if (!initShared(k, m.inode) && !k.bug('uffd-no-init-shared')) return false;
  return (mode & UFFD_MODE.WP) === 0n || k.profile.variants.uffdWp === 'ACCEPT';
};

/**
 * mfill_atomic: range checks (EINVAL), then one registered VMA covering the range (ENOENT). The VMA
 * may be registered by any context of the mm, not only the one issuing the ioctl (mm/userfaultfd.c
 * find_dst_vma checks vm_userfaultfd_ctx.ctx is set); ranges registered by two contexts are two
 * VMAs (so are ranges registered with different modes), so a range across both is ENOENT. Then page by page.
 */
export const uffdResolve = (k: Kernel, op: OpOf<'uffdResolve'>): Outcome => {
  const t = resolveTarget(k, op);
  if ('kind' in t) return t;
  for (let mp = t.s; mp < t.e; mp += 1) {
    const e = mfillPage(k, t.m, mp, op.how, op.fill);
    if (e) return mp === t.s ? err(e) : err('EAGAIN');
  }
  return ok({ count: Number(BigInt(t.e - t.s) * P) });
};

/** mfill_atomic's checks before any page is filled: the mapping and its page range [s, e), or the outcome. */
export const resolveTarget = (k: Kernel, op: OpOf<'uffdResolve'> | OpOf<'uffdPoison'>): Outcome | { readonly m: Mapping; readonly s: number; readonly e: number } => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  const ctx = k.uffds.get(op.uffd);
  if (!ctx) return err('EBADF');
  const r = pageRange(op.offset, op.length);
  if (r === 'EINVAL') return err('EINVAL');
  if (r.e > m.npages) return err('ENOENT');
  const regs = m.uffd.overlaps(r.s, r.e);
  if (!m.uffd.covers(r.s, r.e) || new Set(regs.map(([, , reg]) => `${reg.ctx.id}/${reg.mode}`)).size > 1) return err('ENOENT');
  // A VMA also ends where its mempolicy or VM_HUGEPAGE changes (mbind and madvise split it).
  if (!uniform(m.vmaPolicy, r.s, r.e, policyEq) || !uniform(m.hugepage, r.s, r.e, (x, y) => x === y) || !uniform(m.locked, r.s, r.e, (x, y) => x === y)) return err('ENOENT');
  // Only anon, shmem and (with the series) gmem VMAs have fill operations.
  if (m.inode.kind === 'gmem' && !k.profile.features.uffd) return err('EINVAL');
  return { m, s: r.s, e: r.e };
};

/** Does [s, e) hold one value throughout (or none at all)? */
const uniform = <V>(rm: RangeMap<V>, s: number, e: number, eq: (x: V, y: V) => boolean): boolean => {
  const runs = rm.overlaps(s, e);
  if (runs.length === 0) return true;
  return rm.covers(s, e) && runs.every(([, , v]) => eq(v, runs[0]![2]));
};

const MOVE_DONTWAKE = 1n;
const MOVE_ALLOW_SRC_HOLES = 2n;

/**
 * UFFDIO_MOVE: only anonymous, unshared, registered VMAs move, and every mapping here is a file
 * mapping, so a move whose VMAs are both found is refused. A start outside its mapping finds no
 * VMA in the modelled address space (nothing else is mapped): ENOENT.
 */
export const uffdMove = (k: Kernel, op: OpOf<'uffdMove'>): Outcome => {
  // Dead maps: not issued; EFAULT (spec/vocab/CONVENTIONS.md).
  const dst = k.liveMap(op.map);
  const src = k.liveMap(op.src);
  if (!dst || !src) return err('EFAULT');
  if (!k.uffds.get(op.uffd)) return err('EBADF');
  const unaligned = (x: bigint): boolean => x % P !== 0n;
  if (unaligned(op.offset) || unaligned(op.srcOffset) || unaligned(op.length) || op.length === 0n) return err('EINVAL');
  if ((op.mode & ~(MOVE_DONTWAKE | MOVE_ALLOW_SRC_HOLES)) !== 0n) return err('EINVAL');
  const inside = (m: Mapping, off: bigint): boolean => off >= 0n && off < BigInt(m.npages) * P;
  if (!inside(dst, op.offset) || !inside(src, op.srcOffset)) return err('ENOENT');
  // Bug: the area check lets a gmem VMA through; with no anonymous PTEs every source page is a
  // hole, which ALLOW_SRC_HOLES counts as moved (and without it the first hole is ENOENT).
  if (dst.inode.kind === 'gmem' && src.inode.kind === 'gmem' && k.bug('uffd-move-gmem-holes')) {
    const end = BigInt(Math.min(dst.npages, src.npages)) * P;
    if (op.offset + op.length > end || op.srcOffset + op.length > end) return err('EINVAL');
    return (op.mode & MOVE_ALLOW_SRC_HOLES) !== 0n ? ok({ count: Number(op.length) }) : err('ENOENT');
  }
  return err('EINVAL');
};
