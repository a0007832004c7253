/** userfaultfd ops, and the load/store path that answers userfaults (uffd.cc). */
import { err, errnoName, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome, UffdResolveHow } from '../../../spec/vocab/index.js';
import { TargetTimeoutError } from '../../errors.js';
import { addrOf, place } from './addrspace.js';
import type { Ctx } from './context.js';
import { remember } from './context.js';
import { fromAccess, fromRc } from './outcomes.js';
import type { MapEntry, Registration } from './tables.js';

export const HOW: Readonly<Record<UffdResolveHow, number>> = { COPY: 0, CONTINUE: 1, ZEROPAGE: 2 };

export const uffdCreate = (c: Ctx, op: OpOf<'uffdCreate'>): Outcome => {
  const rc = c.b.uffdCreate(op.features);
  remember(c.t.uffds, op.id, rc, 'uffd');
  return fromRc(rc);
};

/** UFFDIO_REGISTER validates the whole range before it changes anything: never split. */
export const uffdRegister = (c: Ctx, op: OpOf<'uffdRegister'>): Outcome => {
  const m = c.t.liveMap(op.map);
  const p = place(m, op.offset, op.length, c.deadZone, { split: false, verify: true });
  if (p.kind === 'none' || p.kind === 'split') return err('EINVAL');
  const rc = c.b.uffdRegister(c.t.uffd(op.uffd), p.addr, op.length, op.mode);
  if (rc === 0 && m !== undefined && p.kind === 'direct') c.t.regs.push({ uffd: op.uffd, map: op.map, start: p.addr, len: op.length });
  return fromRc(rc);
};

/**
 * Resolve ioctls only write into VMAs registered on this uffd, so a live map's range is issued as
 * is; a dead map's range goes to the dead zone (the kernel then finds no VMA).
 */
export const uffdResolve = (c: Ctx, op: OpOf<'uffdResolve'>): Outcome => {
  const m = c.t.liveMap(op.map);
  const p = m === undefined ? place(undefined, op.offset, op.length, c.deadZone, { split: false, verify: false }) : { kind: 'direct' as const, addr: addrOf(m, op.offset) };
  if (p.kind !== 'direct' && p.kind !== 'relocated') return err('ENOENT');
  const rc = c.b.uffdResolve(c.t.uffd(op.uffd), HOW[op.how], p.addr, op.length, op.fill);
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
  const r = c.b.accessUffd(addr, store, store ? op.value : 0, c.t.uffd(reg.uffd), HOW[op.onUserfault], op.fill,
    c.uffdTimeoutMs, reg.start, reg.len);
  if (r.unregistered) c.t.dropRegs((x) => x === reg);
  if (r.stuck || r.timedOut || r.access === undefined) {
    throw new TargetTimeoutError(
      `${op.kind} at map ${op.map}+${op.offset}: userfault not answered within ${c.uffdTimeoutMs} ms ` +
        `(range unregistered${r.stuck ? '; access still blocked, helper thread abandoned' : ''})`,
    );
  }
  const access = fromAccess(r.access, m.base, store);
  if (r.flags === undefined || r.address === undefined || r.resolve === undefined) return access;
  const f = r.flags;
  return {
    kind: 'uffd',
    event: { write: (f & 1n) !== 0n, wp: (f & 2n) !== 0n, minor: (f & 4n) !== 0n, offset: r.address - m.base },
    resolve: r.resolve >= 0 ? ok({ count: r.resolve }) : err(errnoName(-r.resolve)),
    access,
  };
};
