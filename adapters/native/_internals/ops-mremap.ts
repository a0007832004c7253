/**
 * setVmaName: prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME) over a range of a live map, placed like
 * madvise's range (addrspace.ts: a range leaving the mapping goes where it meets no VMA, or is
 * split: the mapping's own part first, the rest in the dead zone). The name is one of the four
 * fixed strings of the C wrapper. A dead map is not issued (CONVENTIONS.md: EFAULT).
 */
import { VMA_NAME, sentMremapFlags } from '../../../spec/vocab/ops-mremap.js';
import { ok, type OpOf, type Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetLimitError } from '../../../spec/vocab/errors.js';
import { PAGE_SIZE as PAGE } from '../../../spec/vocab/handles.js';
import { pageEnd, place, sizeT } from './addrspace.js';
import { covered, safeFixed } from './ops-mapex.js';
import type { MapEntry } from './tables.js';
import type { Ctx } from './context.js';
import { fromRc } from './outcomes.js';
import { DEAD, issue } from './ops-mm.js';

export const setVmaName = (c: Ctx, op: OpOf<'setVmaName'>): Outcome => {
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const p = place(c.vq, m, op.offset, op.length, c.deadZone, { split: true });
  const name = VMA_NAME[op.name];
  return fromRc(issue(p, op.length, (a, l) => c.b.setVmaName(a, l, name), (rc) => rc < 0, () => -12 /* ENOMEM: no safe place, as madvise */));
};

/**
 * mremap (spec/vocab/ops-mremap.ts): old_addr is M's base and old_size its whole page-rounded
 * length or 0, so the old range never leaves M's own pages — the kernel's shrink (which unmaps past
 * the first VMA without looking) and its multi-VMA move only ever touch M. new_addr is T's base
 * (FIXED cleared without a live T). What keeps the process safe: a FIXED target's range, which the
 * kernel unmaps first, must pass mmapEx's `safeFixed` (T's pages, free space and the suite's
 * orphan tails only), or the op is not run; a grow in place takes only free space and a kernel
 * chosen address is free by definition. One case is not run either (TargetLimitError): a FIXED
 * move without a size change of a map split into several VMAs with a uffd registration, where the
 * kernel stops half way (the VMAs before the registered one moved) and the address bookkeeping of
 * the pieces is not modelled here.
 */
const FIXED = 2n;
const DONTUNMAP = 4n;

/** Registrations of M after an in-place result named `id`: cut to the new end, or grown with the VMA. */
const regsInPlace = (c: Ctx, op: OpOf<'mremap'>, m: MapEntry, newEnd: bigint): void => {
  const oldEnd = pageEnd(m);
  if (newEnd < oldEnd) c.t.unregister(newEnd, oldEnd - newEnd);
  c.t.regs = c.t.regs.map((r) => {
    if (r.map !== op.map) return r;
    // The whole VMA is registered, so the part it grew by is too.
    const grown = newEnd > oldEnd && r.start + r.len === oldEnd ? { len: r.len + (newEnd - oldEnd) } : {};
    return { ...r, ...grown, map: op.id };
  });
};

export const mremap = (c: Ctx, op: OpOf<'mremap'>): Outcome => {
  if (c.t.maps.has(op.id)) throw new BadOpError(`map handle ${op.id} created twice`);
  const m = c.t.liveMap(op.map);
  if (m === undefined) return DEAD;
  const t = op.to.kind === 'over' ? c.t.liveMap(op.to.map) : undefined;
  const flags = sentMremapFlags(op.flags, t !== undefined);
  const oldLen = op.oldSize === 'zero' ? 0n : pageEnd(m) - m.base;
  const newLen = sizeT(op.newLength);
  const fixed = (flags & FIXED) !== 0n;
  if (fixed && t !== undefined && !safeFixed(c, t, op.newLength)) {
    throw new TargetLimitError(`mremap: MREMAP_FIXED of ${newLen} bytes over map ${op.to.kind === 'over' ? op.to.map : '?'} would unmap memory the suite did not map; the op was not run`);
  }
  if (fixed && oldLen === newLen && c.t.regs.some((r) => r.map === op.map)) {
    const v = c.vq(m.base);
    if (v !== null && v[1] < pageEnd(m)) throw new TargetLimitError('mremap: a FIXED move of a map of several VMAs with a uffd registration stops half way; not run (the pieces are not modelled natively)');
  }
  const r = c.b.mremap(m.base, oldLen, newLen, flags, t?.base ?? 0n);
  if (r < 0) {
    // A fixed move unmaps its target first: a failure after that (old_size 0 onto M itself) leaves a hole.
    if (fixed && t !== undefined && op.to.kind === 'over') {
      const v = c.vq(t.base);
      if (v === null || v[0] > t.base) covered(c, op.to.map, t, op.newLength);
    }
    return fromRc(r);
  }
  const at = BigInt(r);
  const dontunmap = (flags & DONTUNMAP) !== 0n;
  const keep = oldLen === 0n || dontunmap;
  if (fixed && t !== undefined && op.to.kind === 'over') covered(c, op.to.map, t, op.newLength);
  if (at === m.base && !keep) {
    regsInPlace(c, op, m, m.base + ((newLen + PAGE - 1n) & ~(PAGE - 1n)));
    m.live = false;
  } else if (!keep) {
    m.live = false;
    c.t.dropRegs((g) => g.map === op.map);
  }
  c.t.maps.set(op.id, { base: at, length: newLen, live: true });
  return ok({ moved: at !== m.base });
};
