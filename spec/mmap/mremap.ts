/**
 * mremap of a mapping (MAP-10, MAP-21; docs/kernel-surface.md E09), in the order of mm/mremap.c
 * (v6.18, v7.2): check_mremap_params (flag bits, new length 0 or past TASK_SIZE, then for a call
 * that implies a new address — MREMAP_FIXED or MREMAP_DONTUNMAP — the new address's range, MAYMOVE,
 * DONTUNMAP with a size change, overlap with the old range), then either the move-only path
 * (remap_move: FIXED with old_size == new_size, VMA by VMA) or check_prep_vma on the first VMA
 * followed by mremap_to (fixed or DONTUNMAP) or mremap_at (in place: shrink, grow, or move).
 *
 * The result is named by the op's `id` (spec/vocab/ops-mremap.ts): on success `id` is the
 * mapping that results and M's handle is dead — except under MREMAP_DONTUNMAP (M stays, without
 * its PTEs) and for the old_size-0 duplicate (M stays untouched). `moved` says whether the result
 * lies at a new address. The spec does not model addresses: whether a grow fits in place depends on
 * what lies after the VMA, so it allows in place, a move (MAYMOVE) or ENOMEM (without MAYMOVE), and
 * says so.
 */
import { PROT, err, ok, type Outcome } from '../vocab/index.js';
import { MREMAP, sentMremapFlags } from '../vocab/ops-mremap.js';
import { andThen, eitherOf, fact, only, rule, type Decision } from '../rule.js';
import { P, TASK_SIZE, type Ctx } from '../ctx.js';
import { EMPTY, imGet, imSet, type IMap } from '../state/imap.js';
import { setIn, withInode, withMap } from '../state/update.js';
import type { Mapping, SpecState } from '../state/types.js';
import { dropMapRef, life1 } from '../lifetime/release.js';
import { vmaBounds } from '../observe/vma-flags.js';
import { piece } from './munmap-part.js';
import { gupEither, gupFaultIn, gupStop, type GupStop } from './gup.js';
import { cowRange } from './page-io.js';
import { must, type Steps } from '../run.js';
import type { Profile } from '../vocab/index.js';

type C = Ctx<'mremap'>;
const U64 = 1n << 64n;
/** TASK_SIZE_MAX under 5-level paging (the VM target's QEMU CPU has LA57; munmap-part.ts). */
const TASK_SIZE_LA57 = (1n << 56n) - P;
/** Above this a kernel-chosen or fixed range may not fit the address space (as mmapEx, mmap-ex.ts). */
const HUGE = 1n << 40n;
/** A private writable mapping is accounted; past this the commit limit may refuse it (mmap-ex.ts). */
const COMMIT_LIMIT = 1n << 30n;

export const map10 = fact('MAP-10', 'MAP-10; mm/mremap.c check_prep_vma, mremap_at, expand_vma, mremap_to, move_vma, v6.18 and v7.2');
export const map21 = fact('MAP-21', 'MAP-21; mm/mremap.c check_mremap_params, check_prep_vma, remap_move, v6.18 and v7.2');
const uffdDrop = fact('MAP-21', 'MAP-21; mm/userfaultfd.c mremap_userfaultfd_prep (no UFFD_FEATURE_EVENT_REMAP: userfaultfd_reset_ctx on the new VMA), v6.18 and v7.2; spec/vocab/uapi.ts UFFD_FEATURES_SERVABLE');

const placedT = (s: SpecState, op: C['op']): number | undefined => (op.to.kind === 'over' && s.maps.has(op.to.map) ? op.to.map : undefined);
const flagsOf = (s: SpecState, op: C['op']): bigint => sentMremapFlags(op.flags, placedT(s, op) !== undefined);
const newLenOf = (op: C['op']): bigint => ((BigInt.asUintN(64, op.newLength) + P - 1n) % U64) & ~(P - 1n);
const oldLenOf = (m: Mapping, op: C['op']): bigint => (op.oldSize === 'zero' ? 0n : BigInt(m.pages) * P);

/** Table `t` with pages [a, b) set to `src`'s value at page `at` (a VMA attribute over an extension). */
const extend = <V>(t: IMap<V>, src: IMap<V>, at: number, a: number, b: number): IMap<V> => (a >= b ? t : imSet(t, a, b, imGet(src, at)));

/** Pages [0, n) of m as a mapping of `pages` pages: the new part takes the VMA attributes of page n-1 (one VMA). */
const resized = (m: Mapping, n: number, pages: number, lenBytes: bigint): Mapping => {
  const head = n === m.pages ? m : piece(m, 0, n);
  if (pages <= n) return { ...piece(m, 0, pages), lenBytes };
  const at = Math.max(n - 1, 0);
  return {
    ...head, pages, lenBytes,
    locked: extend(head.locked, m.locked, at, n, pages), vmaPolicy: extend(head.vmaPolicy, m.vmaPolicy, at, n, pages),
    advised: extend(head.advised, m.advised, at, n, pages), hugepage: extend(head.hugepage, m.hugepage, at, n, pages),
    uffd: extend(head.uffd, m.uffd, at, n, pages),
  };
};

/** The moved mapping: the uffd context is dropped (EVENT_REMAP is never served) and with it every uffd-wp bit or marker. */
const movedMap = (m: Mapping): Mapping => {
  const { wp: _wp, ...rest } = m;
  return { ...rest, uffd: EMPTY };
};

/** M after MREMAP_DONTUNMAP moved its page tables away: no PTEs, no private copies, no guard markers, VM_LOCKED cleared. */
const emptied = (m: Mapping): Mapping => {
  const { wp: _wp, guard: _guard, ...rest } = m;
  return { ...rest, ptes: EMPTY, around: EMPTY, cow: EMPTY, locked: EMPTY };
};

/** Pins and memslots that named M now name `to` (M's pages live there). */
const follow = (s: SpecState, from: number, to: number, slots: boolean): SpecState => {
  let pins = s.pins;
  for (const [pid, pin] of s.pins) if (pin.map === from) pins = setIn(pins, pid, { ...pin, map: to });
  let vms = s.vms;
  if (slots) {
    for (const [vid, vm] of s.vms) {
      let sl = vm.slots;
      for (const [sid, slot] of vm.slots) if (slot.uaddr.kind === 'map' && slot.uaddr.map === from) sl = new Map(sl).set(sid, { ...slot, uaddr: { ...slot.uaddr, map: to } });
      if (sl !== vm.slots) vms = setIn(vms, vid, { ...vm, slots: sl });
    }
  }
  return { ...s, pins, vms };
};

const m0 = (s: SpecState, op: C['op']): Mapping => s.maps.get(op.map)!;

/** `id` holds `n` mapping; M is dead (its reference moves to `id`) or kept (`keep`: a second reference). */
const install = (s: SpecState, op: C['op'], n: Mapping, keep: Mapping | undefined, inPlace: boolean): SpecState => {
  if (keep === undefined) {
    const gone = withMap(s, op.map, undefined);
    const out = withMap(gone, op.id, n);
    return follow({ ...out, mapped: setIn(out.mapped, op.id, true) }, op.map, op.id, inPlace);
  }
  let out = withMap(s, op.id, n);
  out = { ...out, mapped: setIn(out.mapped, op.id, true) };
  out = withMap(out, op.map, keep);
  const ino = out.inodes.get(n.inode)!;
  out = withInode(out, { ...ino, mapCount: ino.mapCount + 1 });
  // MREMAP_DONTUNMAP moved M's private copies to `id`: a pin on one holds the page now mapped there.
  return keep.cow === EMPTY && m0(s, op).cow !== EMPTY ? follow(out, op.map, op.id, false) : out;
};

/** The result, then the populate of a grown VM_LOCKED VMA's new pages (errors ignored, MAP-18's mm_populate). */
const withPopulate = (p: Profile, st: SpecState, id: number, from: number, o: Outcome, also: readonly ReturnType<typeof fact>[]): Decision => {
  const map = st.maps.get(id);
  // (A hostile op may name its new handle as M itself: then nothing is left to populate.)
  if (map === undefined || imGet(map.locked, Math.max(from - 1, 0)) === undefined || from >= map.pages || (map.prot & 7) === 0) return andThen(o, () => st, also);
  const write = !map.shared && (map.prot & 2) !== 0;
  return gupEither(gupStop(p, st, map, from, map.pages, write, 'force'), (g: GupStop) => andThen(o, () => {
    const end = Math.min(g.stop, map.pages);
    const f = gupFaultIn(st, id, from, end, 'gup', !write);
    return write ? cowRange(f, id, from, end) : f;
  }, g.why === null ? also : [...also, g.why]));
};

/** check_mremap_params, in its order; the new address is T's base, which the spec does not know. */
export const mremapParams = rule<C>({
  id: 'MAP-21',
  cite: 'MAP-21; mm/mremap.c check_mremap_params (flags outside FIXED|MAYMOVE|DONTUNMAP, new_len 0 after PAGE_ALIGN, new_len > TASK_SIZE; with FIXED or DONTUNMAP: new_addr > TASK_SIZE - new_len, !MAYMOVE, DONTUNMAP with old_len != new_len, vrm_overlaps → EINVAL), v6.18 and v7.2; spec/vocab/CONVENTIONS.md (dead map: EFAULT)',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map);
    if (m === undefined) return only(s, err('EFAULT'));
    const fl = flagsOf(s, op);
    if ((fl & ~(MREMAP.FIXED | MREMAP.MAYMOVE | MREMAP.DONTUNMAP)) !== 0n) return only(s, err('EINVAL'), [map21]);
    const newLen = newLenOf(op);
    if (newLen === 0n || newLen > TASK_SIZE_LA57) return only(s, err('EINVAL'), [map21]);
    if ((fl & (MREMAP.FIXED | MREMAP.DONTUNMAP)) === 0n) return undefined;
    if ((fl & MREMAP.MAYMOVE) === 0n) return only(s, err('EINVAL'), [map21]);
    const oldLen = oldLenOf(m, op);
    if ((fl & MREMAP.DONTUNMAP) !== 0n && oldLen !== newLen) return only(s, err('EINVAL'), [map21]);
    // The overlap of [base, +old_len) with [new_addr, +new_len): T = M overlaps unless old_len is
    // 0; new_addr 0 overlaps when new_len passes M's base, which only a huge length can.
    if (placedT(s, op) === op.map && oldLen > 0n) return only(s, err('EINVAL'), [map21]);
    return undefined;
  },
});

/** TASK_SIZE depends on the paging mode (4-level here, 5-level in the VM target): between the two, either. */
export const mremapTaskSize = rule<C>({
  id: 'MAP-21',
  cite: 'MAP-21; mm/mremap.c check_mremap_params (new_len > TASK_SIZE; new_addr > TASK_SIZE - new_len), arch/x86 TASK_SIZE_MAX (4- or 5-level paging), v7.2',
  decide: (c) => {
    const newLen = newLenOf(c.op);
    const newAddr = (flagsOf(c.s, c.op) & (MREMAP.FIXED | MREMAP.DONTUNMAP)) !== 0n;
    if (newLen <= TASK_SIZE && !(newAddr && newLen > HUGE)) return undefined;
    const rest = mremapBody.decide!(c)!;
    return eitherOf(rest, only(c.s, err('EINVAL'), [map21]), 'MAP-21: whether the new length (or new_addr + new_len) passes TASK_SIZE, or a huge new range overlaps the old one, depends on the paging mode and on the addresses, which the spec does not model');
  },
});

/** A FIXED target T's range is unmapped first: T wholly covered goes, a longer T keeps an unreachable tail (mmapEx's MAP_FIXED). */
const coverT = (s: SpecState, t: number, newLen: bigint): SpecState => {
  const tm = s.maps.get(t);
  if (tm === undefined) return s;
  const gone = withMap(s, t, undefined);
  return newLen >= BigInt(tm.pages) * P ? dropMapRef(gone, tm.inode) : gone;
};

/** check_prep_vma on M's first VMA, then mremap_to / mremap_at (and remap_move for a FIXED move without a size change). */
export const mremapBody = rule<C>({
  id: 'MAP-10',
  cite: 'MAP-10, MAP-21; mm/mremap.c do_mremap, remap_move, check_prep_vma, mremap_to, mremap_at, expand_vma, vma_expandable, shrink_vma, move_vma, dontunmap_complete, v6.18 and v7.2',
  decide: ({ p, s, op }) => {
    const m = s.maps.get(op.map)!;
    const ino = s.inodes.get(m.inode)!;
    const fl = flagsOf(s, op);
    const t = placedT(s, op);
    const fixed = (fl & MREMAP.FIXED) !== 0n;
    const dontunmap = (fl & MREMAP.DONTUNMAP) !== 0n;
    const maymove = (fl & MREMAP.MAYMOVE) !== 0n;
    const newAddr = fixed || dontunmap;
    const oldLen = oldLenOf(m, op);
    const newLen = newLenOf(op);
    const oldPages = Number(oldLen / P);
    const newPages = Number(newLen / P);
    const [, v1] = vmaBounds(m, 0);
    const dontExpand = ino.kind === 'gmem' && p.variants.vmaExpand === 'DENY';
    const priv = !m.shared && (m.prot & PROT.WRITE) !== 0;
    const huge = newLen > HUGE;
    const moved = (keep: boolean, from: SpecState = s): Decision => {
      const src = from.maps.get(op.map) ?? m;
      const n = movedMap(resized(src, Math.min(oldPages, src.pages), newPages, BigInt.asUintN(64, op.newLength)));
      const fresh = oldPages === 0 ? { ...n, ptes: EMPTY, around: EMPTY, cow: EMPTY, guard: undefined, wp: undefined } as Mapping : n;
      const keepMap = oldPages === 0 ? src : keep ? emptied(src) : undefined;
      const st = install(from, op, fresh, keepMap, false);
      return withPopulate(p, st, op.id, oldPages, ok({ moved: true }), [map10, ...(m.uffd === EMPTY ? [] : [uffdDrop])]);
    };
    const refusedMove = (d: Decision): Decision => (priv && newLen > COMMIT_LIMIT) || huge
      ? eitherOf(d, only(s, err('ENOMEM')), 'a large move may not find room in the address space, and a large private writable one may exceed the commit limit')
      : d;

    // remap_move: FIXED with old_len == new_len moves every VMA of the range (M's pages).
    if (fixed && oldLen === newLen) {
      if (dontunmap && dontExpand) return only(s, err('EINVAL'), [map21]);
      const split = v1 < m.pages;
      const after = coverT(s, t!, newLen);
      if (split && m.uffd !== EMPTY) {
        // A VMA with a uffd context may not be moved together with others (vma_multi_allowed): the first
        // armed VMA ends the walk with EFAULT; the VMAs before it were moved already (unreachable now).
        if (imGet(m.uffd, 0) !== undefined) return only(s, err('EFAULT'), [map21]);
        return andThen(err('EFAULT'), () => withMap(after, op.map, undefined), [map21]);
      }
      return refusedMove(moved(dontunmap, after));
    }

    // check_prep_vma.
    const shrink = oldLen > newLen;
    const willMapNew = newLen > oldLen || newAddr;
    if (!willMapNew) {
      // Same size or a shrink in place: no bound on the first VMA; the shrink unmaps past it too.
      const n = resized(m, m.pages, Math.min(newPages, m.pages), BigInt.asUintN(64, op.newLength));
      return andThen(ok({ moved: false }), () => install(s, op, n, undefined, true), [map10]);
    }
    if (oldLen === 0n && !m.shared) return only(s, err('EINVAL'), [map21]);
    if (dontunmap && dontExpand) return only(s, err('EINVAL'), [map21]);
    const bound = shrink ? newLen : oldLen;
    if (bound > BigInt(v1) * P) return only(s, err('EFAULT'), [map21]);
    if (newLen !== bound && dontExpand) return only(s, err('EFAULT'), [map10]);

    if (newAddr) {
      // mremap_to: the fixed target is unmapped first (T = M with old_size 0: M itself, then EFAULT).
      const after = fixed ? coverT(s, t!, newLen) : s;
      if (fixed && t === op.map) return andThen(err('EFAULT'), () => after, [map21, life1]);
      const shrunk = shrink ? withMap(after, op.map, piece(m, 0, newPages)) : after;
      return refusedMove(moved(dontunmap, shrunk));
    }
    // mremap_at: grow. In place when old_size reaches the VMA's end and nothing lies after it.
    const inPlace = (): Decision => {
      const n = resized(m, m.pages, newPages, BigInt.asUintN(64, op.newLength));
      return withPopulate(p, install(s, op, n, undefined, true), op.id, m.pages, ok({ moved: false }), [map10]);
    };
    const away = (): Decision => (maymove ? refusedMove(moved(false)) : only(s, err('ENOMEM'), [map10]));
    if (oldLen === 0n) return away();
    const grown = priv && newLen - oldLen > COMMIT_LIMIT ? eitherOf(inPlace(), only(s, err('ENOMEM')), 'a large private writable growth may exceed the commit limit') : inPlace();
    return eitherOf(grown, away(), 'MAP-10: whether the grown range is free after the VMA depends on the address space, which the spec does not model: in place, or moved (MAYMOVE) / ENOMEM');
  },
});

export const mremapChain = [mremapParams, mremapTaskSize, mremapBody] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  mremap: (p, s, o) => must({ p, s, op: o }, mremapChain),
} satisfies Steps;
