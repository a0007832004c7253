/**
 * Pins on a mapping's pages (MAP-33, MAP-36, MAP-37): an io_uring ring with the range registered
 * as its fixed buffer, or a pipe the range was vmspliced into, held until `unpin` (or close()).
 * Placement as for kernelAccess (addrspace.place()): a vmsplice that runs past the mapping is
 * issued on the mapping's own part (it stops at the hole after it, as at any gap); an io_uring
 * registration is all or nothing, so one that runs past faults the mapping's own pages in as its
 * GUP would (MADV_POPULATE_WRITE) and is then issued whole in the dead zone, where it fails.
 * Lengths the kernel refuses before looking at any page are issued at the mapping's base.
 */
import { MADV, err, type OpOf, type Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetBrokenError } from '../../../spec/vocab/errors.js';
import { addrOf, pageEnd, place } from './addrspace.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';
import { DEAD } from './ops-mm.js';

/** io_uring's cap on one registered buffer (SZ_1T): more is EINVAL before any page is pinned. */
const IO_URING_MAX = 1n << 40n;

export const pin = (c: Ctx, op: OpOf<'pin'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  if (c.t.pins.has(op.id)) throw new BadOpError(`pin handle ${op.id} created twice`);
  const uring = op.how === 'IO_URING';
  const refusedEarly = op.length >= 1n << 63n || op.length === 0n || (uring && op.length > IO_URING_MAX);
  let addr = m.base;
  let len = op.length;
  if (!refusedEarly) {
    const p = place(c.vq, m, op.offset, op.length, c.deadZone, { split: true });
    if (p.kind === 'none') return err('EFAULT');
    addr = p.addr;
    if (p.kind === 'split' && !uring) len = p.ownLen;
    if (p.kind === 'split' && uring) {
      // Only a buffer of at most 1 GiB reaches GUP on every kernel (P-IOURING-BUFMAX: 6.18 refuses
      // a longer one first; the generators make none between 1 GiB and 1 TiB).
      const from = addrOf(m, op.offset) & ~4095n;
      if (op.length <= 1n << 30n) c.b.madvise(from, pageEnd(m) - from, MADV.POPULATE_WRITE);
      const whole = place(c.vq, m, op.offset, op.length, c.deadZone, { split: false });
      if (whole.kind === 'none' || whole.kind === 'split') return err('EFAULT');
      addr = whole.addr;
    }
  }
  if (uring) {
    const ring = c.b.uringPin(addr, len);
    if (ring >= 0) c.t.pins.set(op.id, { kind: 'uring', ring, base: addr });
    return fromRc(ring, () => ({ count: Number(op.length) }));
  }
  const [rc, r, w] = c.b.splicePin(addr, len);
  if (rc >= 0) c.t.pins.set(op.id, { kind: 'pipe', r, w });
  return fromRc(rc, (count) => ({ count }));
};

export const unpin = (c: Ctx, op: OpOf<'unpin'>): Outcome => {
  const p = c.t.pins.get(op.pin);
  c.t.pins.delete(op.pin);
  if (p === undefined) return fromRc(c.b.close(-1));
  if (p.kind === 'uring') return fromRc(c.b.uringUnpin(p.ring));
  c.b.close(p.w);
  return fromRc(c.b.close(p.r));
};

export const pinRead = (c: Ctx, op: OpOf<'pinRead'>): Outcome => {
  const p = c.t.pins.get(op.pin);
  const len = BigInt(op.len);
  // A dead pin: the read goes to io_uring_enter on fd -1 (EBADF).
  const [rc, first] = p?.kind === 'pipe' ? c.b.pipeRead(p.r, op.offset, len) : c.b.uringRead(p?.ring ?? -1, BigInt.asUintN(64, (p?.base ?? 0n) + op.offset), len);
  if (rc > len) throw new TargetBrokenError(`pinRead: ${rc} bytes for a read of ${len}`);
  return fromRc(rc, (count) => ({ count, first: count > 0 ? first : null }));
};

/** Every pin goes (close(): before the mappings, which the pins do not need). */
export const releasePins = (c: Ctx): void => {
  for (const p of c.t.pins.values()) {
    if (p.kind === 'uring') c.b.uringUnpin(p.ring);
    else { c.b.close(p.w); c.b.close(p.r); }
  }
  c.t.pins.clear();
};
