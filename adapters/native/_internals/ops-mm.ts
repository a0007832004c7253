/**
 * Mapping ops and NUMA policy. An op through a dead map handle is not issued: its outcome is the
 * harness convention of spec/vocab/CONVENTIONS.md (mprotect ENOMEM, the ranged ops EFAULT). A live
 * map's range that would reach another VMA goes through addrspace.place() (README.md).
 */
import { MADV, MAP_FLAG, MEMPOLICY_QUERY, MLOCK_CALL, UFFD_MODE, err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetLimitError } from '../../../spec/vocab/errors.js';
import { arenaHint, place, sizeT } from './addrspace.js';
import type { Placement } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';

export const mmap = (c: Ctx, op: OpOf<'mmap'>): Outcome => {
  if (c.t.maps.has(op.id)) throw new BadOpError(`map handle ${op.id} created twice`);
  // An arena hint (addrspace.ts): the kernel still chooses, but a free gap follows the mapping.
  const r = c.b.mmapEx(c.t.fd(op.fd), op.offset, op.length, op.prot, op.shared ? MAP_FLAG.SHARED : MAP_FLAG.PRIVATE, arenaHint(c.arena, op.length, c.vq));
  const live = typeof r === 'bigint';
  // The length the kernel mapped is the size_t it received, never more (issue 12: a length of
  // 2^64 + 4096 once mapped one page while the full length was recorded here).
  c.t.maps.set(op.id, { base: live ? r : 0n, length: sizeT(op.length), live });
  return live ? ok() : fromRc(r);
};

/** A dead map handle is unmapped: munmap of an unmapped range is 0, so the syscall is skipped. */
export const munmap = (c: Ctx, op: OpOf<'munmap'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return ok();
  const rc = c.b.munmap(m.base, m.length);
  if (rc === 0) {
    m.live = false;
    c.t.dropRegs((r) => r.map === op.map);
  }
  return fromRc(rc);
};

export const mprotect = (c: Ctx, op: OpOf<'mprotect'>): Outcome => {
  const m = c.t.liveMap(op.map);
  return m === undefined ? err('ENOMEM') : fromRc(c.b.mprotect(m.base, m.length, op.prot));
};

/** CONVENTIONS.md: a ranged op through a dead map is not issued and answers EFAULT. */
export const DEAD: Outcome = err('EFAULT');

/**
 * Issues `call` per placement. A split range runs on the mapping's own pages first (the kernel
 * acts on them too before meeting the hole), then on the relocated rest, whose answer wins.
 */
export const issue = <T>(p: Placement, len: bigint, call: (addr: bigint, len: bigint) => T, failed: (r: T) => boolean, none: () => T): T => {
  switch (p.kind) {
    case 'direct': return call(p.addr, len);
    case 'relocated': return call(p.addr, len);
    case 'split': {
      const own = call(p.addr, p.ownLen);
      return failed(own) ? own : call(p.rest, p.restLen);
    }
    case 'none': return none();
  }
};

const rcFailed = (rc: number): boolean => rc < 0;

export const madvise = (c: Ctx, op: OpOf<'madvise'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  // Measured on 6.18.44: MADV_GUARD_INSTALL over a uffd-wp marker (a shmem page zapped while
  // registered WP) never returns — the install walk sees a non-none PTE, the zap keeps file uffd-wp
  // markers, and after three tries madvise restarts itself (restart_syscall), for ever. A WP
  // registration anywhere on the mapping is enough to refuse the op, unrun.
  if (op.advice === 'GUARD_INSTALL' && c.t.regs.some((r) => r.map === op.map && ((r.mode ?? 0n) & UFFD_MODE.WP) !== 0n)) {
    throw new TargetLimitError(`madvise: GUARD_INSTALL on map ${op.map}, which has a userfaultfd WP registration: the kernel may never return (MAP-30, uffd-wp marker livelock); the op was not run`);
  }
  const p = place(c.vq, m, op.offset, op.length, c.deadZone, { split: true });
  return fromRc(issue(p, op.length, (a, l) => c.b.madvise(a, l, MADV[op.advice]), rcFailed, () => -12 /* ENOMEM */));
};

/**
 * mlock/mlock2/munlock. A range that runs past the mapping: the kernel locks the mapping's VMAs,
 * meets the hole (ENOMEM) and populates nothing, so the own part is locked without populating
 * (mlock2 MLOCK_ONFAULT: VM_LOCKED all the same) and the rest relocated answers ENOMEM.
 */
export const mlock = (c: Ctx, op: OpOf<'mlock'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const call = MLOCK_CALL[op.call];
  // do_mlock rounds the start down to its page and adds what it dropped to the length (mod 2^64)
  // before anything else: placed as given, a length of 0 or 2^64 - 1 at an unaligned offset would
  // pass as "reaches nothing" and lock the page after the mapping, which may be another VMA.
  const inPage = op.offset & 4095n;
  const offset = op.offset - inPage;
  const length = BigInt.asUintN(64, op.length + inPage);
  const p = place(c.vq, m, offset, length, c.deadZone, { split: true });
  if (p.kind === 'split') {
    const own = call === MLOCK_CALL.MLOCK2 && (op.flags & ~1) !== 0 ? c.b.mlock(p.addr, p.ownLen, call, op.flags)
      : c.b.mlock(p.addr, p.ownLen, call === MLOCK_CALL.MUNLOCK ? call : MLOCK_CALL.MLOCK2, 1);
    return fromRc(own < 0 ? own : c.b.mlock(p.rest, p.restLen, call, op.flags));
  }
  return fromRc(issue(p, length, (a, l) => c.b.mlock(a, l, call, op.flags), rcFailed, () => -12 /* ENOMEM */));
};

/** msync: the walk goes on past a hole (except a plain MS_ASYNC), so a split range runs in two calls; the first error wins. */
export const msync = (c: Ctx, op: OpOf<'msync'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const p = place(c.vq, m, op.offset, op.length, c.deadZone, { split: true });
  return fromRc(issue(p, op.length, (a, l) => c.b.msync(a, l, op.flags), rcFailed, () => -12 /* ENOMEM */));
};

export const mincore = (c: Ctx, op: OpOf<'mincore'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const pages = BigInt(op.pages);
  const p = place(c.vq, m, op.offset, pages * 4096n, c.deadZone, { split: true });
  const r = issue(p, pages * 4096n, (a, l) => c.b.mincore(a, Number((l + 4095n) / 4096n)),
    (x) => typeof x === 'number', () => -12 /* ENOMEM */);
  return typeof r === 'number' ? fromRc(r) : ok(r);
};

/**
 * mbind checks the range for holes before it changes anything, except when it may not care (MPOL_DEFAULT
 * allows discontiguous ranges: mm/mempolicy.c do_mbind). So a range that runs into another VMA is
 * first issued whole in the dead zone (argument checks and the hole check, no effect there); only if
 * the kernel accepts that is the mapping's own part issued for real.
 */
export const mbind = (c: Ctx, op: OpOf<'mbind'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const call = (a: bigint, l: bigint): number => c.b.mbind(a, l, op.mode, op.nodes, op.flags);
  const p = place(c.vq, m, op.offset, op.length, c.deadZone, { split: true });
  if (p.kind !== 'split') return fromRc(issue(p, op.length, call, rcFailed, () => -14 /* EFAULT */));
  // MPOL_DEFAULT tolerates holes (do_mbind sets MPOL_MF_DISCONTIG_OK): had the rest of the range
  // been unmapped, only the mapping's own part would change, so issue exactly that part. Checking
  // the whole range in the dead zone would see nothing but hole and answer EFAULT instead.
  // The kernel keeps the mode in an int (kernel_mbind); without its mode flags it is MPOL_DEFAULT (0).
  if ((Number(BigInt.asIntN(32, op.mode)) & ~(7 << 13)) === 0) return fromRc(call(p.addr, p.ownLen));
  const whole = place(c.vq, m, op.offset, op.length, c.deadZone, { split: false });
  const check = issue(whole, op.length, call, rcFailed, () => -14);
  return fromRc(check < 0 ? check : call(p.addr, p.ownLen));
};

export const getMempolicy = (c: Ctx, op: OpOf<'getMempolicy'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const p = place(c.vq, m, op.offset, 1n, c.deadZone, { split: false });
  if (p.kind === 'none' || p.kind === 'split') return err('EFAULT');
  const [rc, mode, nodes] = c.b.getMempolicy(p.addr, MEMPOLICY_QUERY[op.query]);
  if (rc < 0) return err(errnoName(-rc));
  return op.query === 'ADDR' ? ok({ mode, nodes }) : ok({ node: mode });
};

export const setMempolicy = (c: Ctx, op: OpOf<'setMempolicy'>): Outcome => {
  c.mempolicyTouched = true;
  return fromRc(c.b.setMempolicy(op.mode, op.nodes));
};
