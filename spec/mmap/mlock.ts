/**
 * mlock(2), mlock2(2), munlock(2) and msync(2) on a mapping (docs/kernel-surface.md E10, E11).
 *
 * mlock rounds the range out to pages and locks the VMAs it covers, in address order; a hole ends
 * it with ENOMEM after the VMAs before it were locked, and then nothing is populated. A whole
 * range then populates like a GUP with FOLL_FORCE (FOLL_WRITE only on a private writable mapping,
 * to break COW): the first page that cannot be faulted (private or EOF gmem, EOF memfd, a
 * userfault, PROT_NONE) stops it, and mlock answers ENOMEM with the VMAs still locked (MAP-15).
 * MLOCK_ONFAULT locks without populating (MAP-23). The lock state is per map page (VM_LOCKED
 * splits the VMA) and decides msync(MS_INVALIDATE) (EBUSY) and the madvise advices an mlocked VMA
 * refuses (MAP-28, spec/mmap/madvise.ts). The suite runs as root: RLIMIT_MEMLOCK never applies.
 */
import { MLOCK_FLAG, MS, err, ok, type Outcome } from '../vocab/index.js';
import { cases, fact, only, rule, andThen, type Decision, type Rule } from '../rule.js';
import { P, wrapsU64, type Ctx, type MapCtx } from '../ctx.js';
import { imEach, imSet } from '../state/imap.js';
import { withMap } from '../state/update.js';
import type { SpecState } from '../state/types.js';
import { deadMap } from '../lifetime/handles.js';
import { genGupProt, gupEither, gupFaultIn, gupStop, type GupStop } from './gup.js';
import { firstProt, protRuns } from './prot-at.js';
import { cowRange } from './page-io.js';
import { onMap, type Steps } from '../run.js';

type C = Ctx<'mlock'>;
type M = MapCtx<'mlock'>;
const U64 = 1n << 64n;
const PROT_ANY = 7;

export const map15Fact = fact('MAP-15', 'MAP-15; mm/mlock.c do_mlock (__mm_populate errors: EFAULT → ENOMEM), mm/gup.c populate_vma_page_range, v7.2');
export const map23Fact = fact('MAP-23', 'MAP-23; mm/mlock.c SYSCALL mlock2, apply_vma_lock_flags; mm/gup.c populate_vma_page_range (VM_LOCKONFAULT), v7.2');

/** The page-aligned start (as the u64 the kernel sees, relative to the base) and the rounded length, mod 2^64. */
const rounded = (offset: bigint, length: bigint): { start: bigint; len: bigint } => {
  const inPage = ((offset % P) + P) % P;
  return { start: offset - inPage, len: (((length + inPage) % U64) + P - 1n) / P * P % U64 };
};

export const mlockDead = deadMap<C>('EFAULT');
/** MAP-23: mlock2 refuses any flag but MLOCK_ONFAULT before anything else. */
export const mlockFlags = rule<C>({
  id: 'MAP-23',
  cite: 'MAP-23; mm/mlock.c SYSCALL mlock2 (flags & ~MLOCK_ONFAULT → EINVAL), v7.2',
  decide: ({ s, op }) => (op.call === 'MLOCK2' && (op.flags & ~MLOCK_FLAG.ONFAULT) !== 0 ? only(s, err('EINVAL')) : undefined),
});
/**
 * The range: nothing to lock (a length that rounds to 0, or wraps to 0) → 0; an end that wraps
 * → EINVAL; a start outside the mapping → ENOMEM (vma_iter_load finds no VMA there).
 */
export const mlockRange = rule<C>({
  id: 'MAP-23',
  cite: 'MAP-23; mm/mlock.c do_mlock (PAGE_ALIGN(len + offset_in_page(start))), apply_vma_lock_flags (end < start → EINVAL; end == start → 0; no VMA at start → ENOMEM), v7.2',
  decide: ({ s, op }) => {
    const { start, len } = rounded(op.offset, op.length);
    if (len === 0n) return only(s, ok());
    const wrap = wrapsU64(BigInt.asUintN(64, start), len);
    if (wrap === 'yes') return only(s, err('EINVAL'));
    if (start < 0n) return wrap === 'maybe' ? cases([[err('EINVAL'), () => s], [err('ENOMEM'), () => s]], 'whether start+len wraps depends on the mapping address') : only(s, err('ENOMEM'));
    const pages = BigInt(s.maps.get(op.map)!.pages);
    if (start >> 12n >= pages) return wrap === 'maybe' ? cases([[err('EINVAL'), () => s], [err('ENOMEM'), () => s]], 'whether start+len wraps depends on the mapping address') : only(s, err('ENOMEM'));
    return undefined;
  },
});
export const mlockPre = [mlockDead, mlockFlags, mlockRange] as const;

/**
 * MLOCK_ONFAULT is a VMA flag of its own (VM_LOCKONFAULT): mlock2(ONFAULT) sets it with VM_LOCKED,
 * a plain mlock sets VM_LOCKED alone, munlock clears both (mm/mlock.c apply_vma_lock_flags), so
 * the two kinds of lock split the VMA. Found by a 90 s native run on 6.18.44 (memfd, seed
 * 1388580862): PROCMAP_QUERY showed a one-page VMA after mlock2(ONFAULT) of two pages and mlock
 * of the first.
 */
const setLocked = (s: SpecState, mapId: number, a: number, b: number, on: boolean, onfault = false): SpecState => {
  const m = s.maps.get(mapId)!;
  return withMap(s, mapId, { ...m, locked: imSet(m.locked, a, b, on ? (onfault ? 'onfault' : true) : undefined) });
};

/**
 * DMAP-21: under the NO_DIRECT_MAP series `mlock_fixup` skips a VMA whose mapping has no direct map
 * (no VM_LOCKED, no VM_LOCKONFAULT, nothing counted, as for secretmem), and the populate that
 * follows meets GUP's refusal of such a VMA (EFAULT, reported by mlock as ENOMEM) — with
 * MLOCK_ONFAULT too, since the VMA never got VM_LOCKONFAULT. So every mlock/mlock2 that gets past
 * the range checks is ENOMEM with nothing locked; munlock is 0 (nothing to clear).
 */
export const dmap21 = rule<M>({
  id: 'DMAP-21',
  cite: 'DMAP-21; "[PATCH v12 06/16] mm: introduce AS_NO_DIRECT_MAP" (Nikita Kalyazin, 10 Apr 2026; the same mm/mlock.c and mm/gup.c hunks as "[PATCH v7 03/12] mm: introduce AS_NO_DIRECT_MAP", Patrick Roy, 24 Sep 2025): mlock_fixup skips vma_has_no_direct_map VMAs, check_vma_flags refuses them; mm/mlock.c do_mlock, __mlock_posix_error_return; mm/gup.c __mm_populate, populate_vma_page_range, v7.2 (memfd_secret: mlock ENOMEM, obs:GUP-S-16)',
  decide: (c) => {
    if (!c.ino.noDirectMap || c.op.call === 'MUNLOCK') return undefined;
    const { start, len } = rounded(c.op.offset, c.op.length);
    return wrapsU64(start, len) === 'maybe'
      ? cases([[err('EINVAL'), () => c.s], [err('ENOMEM'), () => c.s]], 'whether start+len wraps (EINVAL before anything) depends on the mapping address')
      : only(c.s, err('ENOMEM'));
  },
});

/** MAP-15 / MAP-23: lock (or unlock) the mapping's part of the range, then populate a whole range. */
export const mlockMap = rule<M>({
  id: 'MAP-23',
  cite: 'MAP-15, MAP-23; mm/mlock.c do_mlock, apply_vma_lock_flags (a hole: ENOMEM after the VMAs before it, no populate), __mm_populate; mm/gup.c populate_vma_page_range (FOLL_FORCE if accessible, FOLL_WRITE only for a private writable VMA), v7.2',
  decide: (c): Decision => lockAndPopulate(c),
});

const lockAndPopulate = (c: M): Decision => {
  const { p, s, op, map } = c;
  const { start, len } = rounded(op.offset, op.length);
  const a = Number(start >> 12n);
  const want = (start + len) >> 12n;
  const b = want > BigInt(map.pages) ? map.pages : Number(want);
  const lock = op.call !== 'MUNLOCK';
  const changed = setLocked(s, op.map, a, b, lock, op.call === 'MLOCK2' && (op.flags & MLOCK_FLAG.ONFAULT) !== 0);
  if (wrapsU64(start, len) === 'maybe') {
    return cases([[err('EINVAL') as Outcome, () => s], [err('ENOMEM') as Outcome, () => changed]], 'whether start+len wraps (EINVAL before anything) depends on the mapping address', [map23Fact]);
  }
  if (want > BigInt(map.pages)) return andThen(err('ENOMEM'), () => changed, [map23Fact]);
  if (!lock || (op.call === 'MLOCK2' && (op.flags & MLOCK_FLAG.ONFAULT) !== 0)) return andThen(ok(), () => changed, [map23Fact]);
  // populate_vma_page_range goes VMA by VMA (a partial mprotect splits them, MAP-19): an
  // inaccessible one is EFAULT (mlock: ENOMEM) after the ones before it were populated, and
  // FOLL_WRITE is each VMA's own (private and writable).
  const cm = changed.maps.get(op.map)!;
  const none = firstProt(cm, a, b, (pr) => (pr & PROT_ANY) !== 0);
  if (none === a) return andThen(err('ENOMEM'), () => changed, [map15Fact]);
  const runs = protRuns(cm, a, none ?? b);
  const writes = (pr: number): boolean => !map.shared && (pr & 2) !== 0;
  const populated = (g: GupStop): Decision => {
    const next = (): SpecState => runs.reduce((st, r) => {
      const e = Math.min(r.e, g.stop, b);
      if (r.s >= e) return st;
      const faulted = gupFaultIn(st, op.map, r.s, e, 'gup', !writes(r.prot));
      return writes(r.prot) ? cowRange(faulted, op.map, r.s, e) : faulted;
    }, changed);
    const also = g.why === null ? [map15Fact] : [g.why, map15Fact];
    return andThen(g.stop < b ? err('ENOMEM') : ok(), next, also);
  };
  return gupEither(runsStop(runs, (r) => gupStop(p, changed, cm, r.s, r.e, writes(r.prot), 'force'), none ?? b, none !== undefined), populated);
};

/**
 * GUP over consecutive runs: the first run that stops early decides; a run's maybe-stops stay
 * alternatives; past the last run it stops at `end`, refused there when `inaccessible` (GEN-GUP-PROT).
 */
const runsStop = <R extends { s: number; e: number }>(runs: readonly R[], one: (r: R) => GupStop, end: number, inaccessible: boolean): GupStop => {
  const maybe: { at: number; why: Rule<never> }[] = [];
  for (const r of runs) {
    const g = one(r);
    maybe.push(...(g.maybe ?? []));
    if (g.stop < r.e) return maybe.length === 0 ? { stop: g.stop, why: g.why, kind: g.kind } : { stop: g.stop, why: g.why, kind: g.kind, maybe };
  }
  const g: GupStop = inaccessible ? { stop: end, why: genGupProt, kind: 'fault' } : { stop: end, why: null, kind: 'none' };
  return maybe.length === 0 ? g : { ...g, maybe };
};
export const mlockMapChain = [dmap21, mlockMap] as const;

// ---- msync ------------------------------------------------------------------------------------

type S = Ctx<'msync'>;
type SM = MapCtx<'msync'>;
export const map22Fact = fact('MAP-22', 'MAP-22; mm/msync.c SYSCALL msync, v7.2');
export const msyncDead = deadMap<S>('EFAULT');

/** MAP-22: flags, alignment and the length first (EINVAL, then ENOMEM for a wrapping end, 0 for nothing). */
export const msyncArgs = rule<S>({
  id: 'MAP-22',
  cite: 'MAP-22; mm/msync.c SYSCALL msync (unknown flags, unaligned start, ASYNC with SYNC → EINVAL; end < start → ENOMEM; end == start → 0), v7.2',
  decide: ({ s, op }) => {
    if ((op.flags & ~(MS.ASYNC | MS.INVALIDATE | MS.SYNC)) !== 0 || op.offset % P !== 0n) return only(s, err('EINVAL'));
    if ((op.flags & MS.ASYNC) !== 0 && (op.flags & MS.SYNC) !== 0) return only(s, err('EINVAL'));
    const len = ((op.length % U64) + P - 1n) / P * P % U64;
    if (len === 0n) return only(s, ok());
    const wrap = wrapsU64(BigInt.asUintN(64, op.offset), len);
    if (wrap === 'yes') return only(s, err('ENOMEM'));
    return undefined;
  },
});
export const msyncPre = [msyncDead, msyncArgs] as const;

/**
 * MAP-22: the walk, VMA by VMA (the mapping split where mlock changes): MS_INVALIDATE on a locked
 * VMA → EBUSY; MS_SYNC on a shared gmem VMA → EINVAL (vfs_fsync_range: no fsync), on shmem 0;
 * a hole before the end → ENOMEM once the mapped part is done (at once for a plain MS_ASYNC).
 * Nothing changes state: shmem and gmem have nothing to write back.
 */
export const msyncMap = rule<SM>({
  id: 'MAP-22',
  cite: 'MAP-22; mm/msync.c SYSCALL msync (per VMA: VM_LOCKED with MS_INVALIDATE → EBUSY; MS_SYNC on a shared file VMA → vfs_fsync_range); fs/sync.c vfs_fsync_range (no fsync → EINVAL); mm/shmem.c (noop_fsync), v7.2; obs:HF-55',
  decide: (c): Decision => {
    const { s, op, map } = c;
    const a = op.offset < 0n ? 0 : Number(op.offset >> 12n);
    const len = ((op.length % U64) + P - 1n) / P * P;
    const want = op.offset < 0n ? (op.offset + len) >> 12n : (op.offset + len) >> 12n;
    const b = want > BigInt(map.pages) ? map.pages : Number(want);
    const holeBefore = op.offset < 0n;
    const holeAfter = want > BigInt(map.pages);
    const mapped = (): Outcome => {
      let out: Outcome | undefined;
      imEach(map.locked, a, b, (_x, _y, locked) => {
        if ((op.flags & MS.INVALIDATE) !== 0 && locked !== undefined) out = err('EBUSY');
        else if ((op.flags & MS.SYNC) !== 0 && map.shared && c.ino.kind === 'gmem') out = err('EINVAL');
        return out !== undefined;
      });
      return out ?? (holeBefore || holeAfter ? err('ENOMEM') : ok());
    };
    if (a >= b) return only(s, err('ENOMEM'), [map22Fact]);
    if (!holeBefore) return only(s, mapped(), [map22Fact]);
    // A range that starts before its mapping: a plain MS_ASYNC stops at the hole; any other walk
    // skips it. The harness places such a range in the dead zone, where it meets no VMA at all
    // (spec/vocab/CONVENTIONS.md), unless nothing else is mapped before the mapping.
    if (op.flags === MS.ASYNC) return only(s, err('ENOMEM'), [map22Fact]);
    return cases([[err('ENOMEM') as Outcome, () => s], [mapped(), () => s]], 'a range starting before its mapping is placed in the dead zone or issued as is', [map22Fact]);
  },
});
export const msyncMapChain = [msyncMap] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  mlock: (p, s, o) => onMap({ p, s, op: o }, mlockPre, o.map, mlockMapChain),
  msync: (p, s, o) => onMap({ p, s, op: o }, msyncPre, o.map, msyncMapChain),
} satisfies Steps;
