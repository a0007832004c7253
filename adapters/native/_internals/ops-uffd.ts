/** userfaultfd ops, and the load/store path that answers userfaults (uffd.cc). */
import { PAGE_SIZE, UFFD_PAGEFAULT_FLAG, UFFD_RESOLVE, err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { TargetTimeoutError } from '../../../spec/vocab/errors.js';
import { USER_TOP, addrOf, pageEnd, place } from './addrspace.js';
import type { Ctx } from './context.js';
import { create } from './context.js';
import { fromAccess, fromRc } from './outcomes.js';
import type { MapEntry, Registration } from './tables.js';

/** Features the addon cannot serve (non-cooperative events) are refused there, before a uffd exists. */
export const uffdCreate = (c: Ctx, op: OpOf<'uffdCreate'>): Outcome =>
  fromRc(create(c.t.uffds, op.id, 'uffd', () => c.b.uffdCreate(op.features)));

/**
 * UFFDIO_REGISTER registers every VMA the range meets and skips holes. A range that starts in the
 * mapping and runs into another VMA is registered on the mapping's own pages only — what an
 * isolated address space (a hole after the mapping) answers — provided the full range passes the
 * same argument checks (page-aligned non-zero length, end inside user space); otherwise, and for a
 * range that starts outside the mapping, it is issued in the dead zone so the kernel rejects it.
 */
export const uffdRegister = (c: Ctx, op: OpOf<'uffdRegister'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return err('EFAULT'); // a dead map: not issued (spec/vocab/CONVENTIONS.md)
  const p = place(c.vq, m, op.offset, op.length, c.deadZone, { split: true });
  const argsOk = op.length > 0n && op.length % PAGE_SIZE === 0n && (p.kind !== 'split' || p.addr + op.length <= USER_TOP);
  const at = p.kind === 'split'
    ? (argsOk ? { addr: p.addr, len: p.ownLen } : relocatedWhole(c, m, op.offset, op.length))
    : p.kind === 'none' ? undefined : { addr: p.addr, len: op.length };
  if (at === undefined) return err('EINVAL');
  const rc = c.b.uffdRegister(c.t.uffd(op.uffd), at.addr, at.len, BigInt(op.mode));
  if (rc === 0 && m !== undefined && p.kind !== 'relocated') {
    // Record only the mapping's own pages: the kernel skipped any hole, which a later mmap may fill.
    const own = pageEnd(m) - at.addr;
    c.t.regs.push({ uffd: op.uffd, map: op.map, start: at.addr, len: at.len < own ? at.len : own, mode: BigInt(op.mode) });
  }
  return fromRc(rc);
};

const relocatedWhole = (c: Ctx, m: MapEntry, offset: bigint, len: bigint): { addr: bigint; len: bigint } | undefined => {
  const p = place(c.vq, m, offset, len, c.deadZone, { split: false });
  return p.kind === 'relocated' || p.kind === 'direct' ? { addr: p.addr, len } : undefined;
};

/**
 * Resolve ioctls only write into VMAs registered on this uffd, so a live map's range is issued as
 * is; a dead map's is not issued (EFAULT, spec/vocab/CONVENTIONS.md).
 */
export const uffdResolve = (c: Ctx, op: OpOf<'uffdResolve'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  const rc = c.b.uffdResolve(c.t.uffd(op.uffd), UFFD_RESOLVE[op.how], addrOf(m, op.offset), op.length, op.fill);
  return fromRc(rc, (count) => ({ count }));
};

/**
 * A load/store on a registered range: the access runs on a helper thread while this thread reads
 * the userfault and answers it with the op's onUserfault; see the `uffd` outcome.
 */
export const accessUffd = (
  c: Ctx, m: MapEntry, reg: Registration, addr: bigint, op: OpOf<'load'> | OpOf<'store'>,
): Outcome => {
  const store = op.kind === 'store';
  const r = c.b.accessUffd(addr, store, store ? op.value : 0, c.t.uffd(reg.uffd), UFFD_RESOLVE[op.onUserfault], op.fill,
    c.uffdTimeoutMs, reg.start, reg.len);
  if (r.unregStart !== undefined && r.unregLen !== undefined) c.t.unregister(r.unregStart, r.unregLen);
  if (r.stuck !== undefined) c.stuck.push({ id: r.stuck, map: op.map });
  if (r.stuck !== undefined || r.timedOut || r.access === undefined) {
    throw new TargetTimeoutError(
      `${op.kind} at map ${op.map}+${op.offset}: userfault not answered within ${c.uffdTimeoutMs} ms ` +
        `(range unregistered${r.stuck !== undefined ? '; access still blocked: its page is PROT_NONE and the map stays until the thread ends' : ''})`,
    );
  }
  const access = fromAccess(r.access, m.base, store);
  if (r.flags === undefined || r.address === undefined || r.resolve === undefined) return access;
  const f = r.flags;
  return {
    kind: 'uffd',
    event: { write: (f & BigInt(UFFD_PAGEFAULT_FLAG.WRITE)) !== 0n, wp: (f & BigInt(UFFD_PAGEFAULT_FLAG.WP)) !== 0n, minor: (f & BigInt(UFFD_PAGEFAULT_FLAG.MINOR)) !== 0n, offset: r.address - m.base },
    resolve: r.resolve >= 0 ? ok({ count: r.resolve }) : err(errnoName(-r.resolve)),
    access,
  };
};

/**
 * UFFDIO_MOVE between two of the target's mappings. A dead map is not issued (EFAULT, as
 * uffdResolve); otherwise the kernel gets base + offset as given — a start outside the mapping
 * meets whatever is mapped there, which the move can never change (see gm_uffd_move).
 */
export const uffdMove = (c: Ctx, op: OpOf<'uffdMove'>): Outcome => {
  const dst = c.t.liveMap(op.map);
  const src = c.t.liveMap(op.src);
  if (dst === undefined || src === undefined) return err('EFAULT');
  return fromRc(c.b.uffdMove(c.t.uffd(op.uffd), addrOf(dst, op.offset), addrOf(src, op.srcOffset), op.length, op.mode), (count) => ({ count }));
};
