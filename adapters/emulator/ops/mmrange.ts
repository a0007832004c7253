/**
 * munmap of a part of a mapping (do_vmi_munmap): the VMA is split at the range's ends and only the
 * pages inside go. The emulator's addresses are those of mlock.ts (the mapping at base 0, nothing
 * else mapped). The pieces are named as spec/vocab/ops-mmrange.ts says: the pages before the range
 * keep the handle, the pages after it become map `id`, each a Mapping of its own whose per-page
 * state (PTEs, private copies, VMA policy, lock, madvise flags, guard markers, uffd registration)
 * is the old one's, moved; pins hold folios, so they need nothing.
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { asU64, P, TASK_SIZE, U64 } from '../i64.js';
import { getRef, putRef } from '../lifetime.js';
import { RangeMap } from '../rangemap.js';
import type { Mapping, Policy } from '../state.js';
import { policyEq } from '../state.js';

/** Per-page entries of `from` in [a, b), moved down by a (the new piece's page 0 is a). */
const moved = <V>(from: RangeMap<V>, to: RangeMap<V>, a: number, b: number): RangeMap<V> => {
  for (const [s, e, v] of from.overlaps(a, b)) to.set(Math.max(s, a) - a, Math.min(e, b) - a, v);
  return to;
};

/** File-page-keyed entries of `from` within file pages [fa, fb). */
const within = <V>(from: Map<number, V>, fa: number, fb: number): Map<number, V> =>
  new Map([...from].filter(([fp]) => fp >= fa && fp < fb));

/** Pages [a, b) of m as a live mapping named `id`. */
export const pieceOf = (m: Mapping, id: number, a: number, b: number): Mapping => ({
  id, inode: m.inode, pgoff: m.pgoff + a, npages: b - a,
  length: b === m.npages ? m.length - BigInt(a) * P : BigInt(b - a) * P,
  prot: m.prot, shared: m.shared, alive: true,
  ptes: within(m.ptes, m.pgoff + a, m.pgoff + b), anon: within(m.anon, m.pgoff + a, m.pgoff + b),
  vmaPolicy: moved(m.vmaPolicy, new RangeMap<Policy>(policyEq), a, b), uffd: moved(m.uffd, new RangeMap(), a, b),
  hugepage: moved(m.hugepage, new RangeMap(), a, b), locked: moved(m.locked, new RangeMap(), a, b),
  advised: moved(m.advised, new RangeMap(), a, b), guard: moved(m.guard, new RangeMap(), a, b), wp: moved(m.wp, new RangeMap(), a, b),
  protAt: moved(m.protAt, new RangeMap(), a, b),
  poison: moved(m.poison, new RangeMap(), a, b),
});

/**
 * Order: an unaligned start, a start past TASK_SIZE, a length past TASK_SIZE − start → EINVAL;
 * a length that page-rounds to 0 → EINVAL; nothing mapped in the range → 0.
 */
export const munmapPart = (k: Kernel, op: OpOf<'munmapPart'>): Outcome => {
  const m = k.liveMap(op.map);
  // A dead handle is not issued (spec/vocab/CONVENTIONS.md): munmap of nothing.
  if (!m) return ok();
  const start = asU64(op.offset);
  const len = asU64(op.length);
  if (start % P !== 0n || start > TASK_SIZE || len > TASK_SIZE - start) return err('EINVAL');
  // Bug: a length that is not a page multiple is refused instead of rounded up.
  if (len % P !== 0n && m.inode.kind === 'gmem' && k.bug('munmap-part-unaligned-einval')) return err('EINVAL');
  const alen = ((len + P - 1n) / P * P) % U64;
  if (alen === 0n) return err('EINVAL');
  const first = start / P;
  if (first >= BigInt(m.npages)) return ok();
  const a = Number(first);
  const end = (start + alen) / P;
  // Bug: the range is unmapped up to the end of the mapping, whatever its length.
  const b = k.bug('munmap-part-drops-tail') && m.inode.kind === 'gmem' || end >= BigInt(m.npages) ? m.npages : Number(end);
  // Bug: a range inside the mapping splits it but its pages stay mapped in the first piece.
  const headEnd = k.bug('munmap-part-keeps-range') && m.inode.kind === 'gmem' && a > 0 && b < m.npages ? b : a;
  const tail = b < m.npages ? pieceOf(m, op.id, b, m.npages) : undefined;
  const head = headEnd > 0 ? pieceOf(m, op.map, 0, headEnd) : undefined;
  // The old object stays in the table, dead, when no head is left: a memslot may still name the
  // handle's address (ops/memslot.ts, "was mapped").
  m.alive = false;
  m.inode.maps.delete(m);
  if (head) k.maps.set(op.map, head);
  if (tail) k.claim(k.maps, op.id, tail, 'map');
  for (const piece of [head, tail]) {
    if (!piece) continue;
    m.inode.maps.add(piece);
    getRef(m.inode);
  }
  putRef(k, m.inode);
  return ok();
};
