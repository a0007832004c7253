/**
 * munmap of a part of a mapping (MAP-20; docs/kernel-surface.md E08). The kernel splits the VMA at
 * the range's ends (mm/vma.c do_vmi_munmap → vms_gather_munmap_vmas: __split_vma at start and at
 * end) and removes only the pages inside: what remains keeps its PTEs, private copies, VMA policy,
 * lock, madvise flags, guard and uffd-wp markers and uffd registration, and the file keeps its data (MAP-6).
 *
 * The model keeps "one handle = one contiguous run of pages at its base" (spec/vocab/ops-mmrange.ts):
 * the pages before the range stay under the old handle, the pages after it move to the new handle
 * with their map-relative tables shifted, and a pin on the moved pages follows them. No rule that
 * reads a mapping has to learn about holes: a range past a handle's last page meets no VMA, as it
 * always did (the targets relocate such a part, spec/vocab/CONVENTIONS.md).
 */
import { err, ok } from '../vocab/index.js';
import { cases, fact, only, rule, andThen, type Decision } from '../rule.js';
import { P, aligned, type Ctx } from '../ctx.js';
import { EMPTY, imSet, imSlice, type IMap } from '../state/imap.js';
import { setIn, withInode, withMap } from '../state/update.js';
import type { Mapping, SpecState } from '../state/types.js';
import { dropMapRef, life1 } from '../lifetime/release.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'munmapPart'>;

/**
 * The top of the user address space the length check may use: TASK_SIZE_MAX under 5-level paging
 * (2^56 − 4096; the VM target's QEMU -cpu max has LA57, MAP-39). Under 4-level paging (this host)
 * it is 2^47 − 4096, so an end between the two is refused on one machine and not on the other.
 */
const TASK_SIZE_LA57 = (1n << 56n) - P;
/**
 * Room every mapping of the suite has above its end: mmap_base keeps at least 128 MiB below the
 * stack (mm/util.c mmap_base, MIN_GAP), and the suite's mappings lie below mmap_base.
 */
const MIN_GAP = 128n << 20n;
const U64 = 1n << 64n;

export const map20Fact = fact('MAP-20', 'MAP-20; mm/vma.c do_vmi_munmap, vms_gather_munmap_vmas (__split_vma at both ends), v7.2');

/** The map-relative table m restricted to pages [a, b) and shifted down by a. */
const slice = <V>(m: IMap<V>, a: number, b: number): IMap<V> =>
  imSlice(m, a, b, 0).reduce<IMap<V>>((out, r) => imSet(out, r.s, r.e, r.v), EMPTY);

/** Pages [a, b) of mapping m as a mapping of their own (a > 0: the piece after a removed range). */
export const piece = (m: Mapping, a: number, b: number): Mapping => ({
  ...m,
  pgoff: m.pgoff + a,
  pages: b - a,
  // The last piece keeps the mapping's unaligned end; an earlier piece ends on a page boundary.
  lenBytes: b === m.pages ? m.lenBytes - BigInt(a) * P : BigInt(b - a) * P,
  ptes: slice(m.ptes, a, b), around: slice(m.around, a, b), vmaPolicy: slice(m.vmaPolicy, a, b), uffd: slice(m.uffd, a, b),
  cow: slice(m.cow, a, b), hugepage: slice(m.hugepage, a, b), locked: slice(m.locked, a, b), advised: slice(m.advised, a, b),
  ...(m.guard === undefined ? {} : { guard: slice(m.guard, a, b) }),
  ...(m.wp === undefined ? {} : { wp: slice(m.wp, a, b) }),
  ...(m.protAt === undefined ? {} : { protAt: slice(m.protAt, a, b) }),
});

/**
 * The state after pages [a, b) of map `id` are unmapped: the head [0, a) keeps the handle, the tail
 * [b, pages) becomes map `tail`, a pin wholly on the tail follows it (one straddling the removed
 * range keeps its map: the pages it held there were removed, MAP-37), and the file loses its
 * reference when no piece is left (LIFE-1).
 */
export const unmapPages = (s: SpecState, id: number, m: Mapping, a: number, b: number, tail: number): SpecState => {
  const keepHead = a > 0;
  const keepTail = b < m.pages;
  let out = withMap(s, id, keepHead ? piece(m, 0, a) : undefined);
  if (keepTail) {
    out = withMap(out, tail, piece(m, b, m.pages));
    out = { ...out, mapped: setIn(out.mapped, tail, true) };
    let pins = out.pins;
    for (const [pid, pin] of out.pins) {
      if (pin.map === id && pin.mpage >= b) pins = setIn(pins, pid, { ...pin, map: tail, mpage: pin.mpage - b });
    }
    out = { ...out, pins };
  }
  if (keepHead && keepTail) {
    const ino = out.inodes.get(m.inode)!;
    return withInode(out, { ...ino, mapCount: ino.mapCount + 1 });
  }
  return keepHead || keepTail ? out : dropMapRef(out, m.inode);
};

/**
 * MAP-20, in do_vmi_munmap's order: an unaligned start, a start past TASK_SIZE or a length past
 * TASK_SIZE − start → EINVAL; a length that page-rounds to 0 → EINVAL; then the VMAs in the range
 * are split off and removed (nothing mapped there: 0). The start is base + offset and the spec
 * does not know the base: where the answer depends on it, both are allowed.
 */
export const map20 = rule<C>({
  id: 'MAP-20',
  cite: 'MAP-20; mm/vma.c do_vmi_munmap (offset_in_page(start), start > TASK_SIZE, len > TASK_SIZE - start → EINVAL; PAGE_ALIGN(len) == 0 → EINVAL; no VMA → 0), vms_gather_munmap_vmas, v7.2; spec/vocab/CONVENTIONS.md (a dead map handle is not issued: 0)',
  decide: ({ s, op }): Decision => {
    const m = s.maps.get(op.map);
    if (m === undefined) return only(s, ok());
    const len = BigInt.asUintN(64, op.length);
    const alen = (len + P - 1n) % U64 & ~(P - 1n);
    if (!aligned(op.offset) || alen === 0n) return only(s, err('EINVAL'));
    const same = (): SpecState => s;
    if (op.offset < 0n) {
      // base + offset lies below the mapping: below 0 it wraps past TASK_SIZE (EINVAL); otherwise
      // it is an address the suite did not map (the targets relocate it, CONVENTIONS.md): 0.
      return cases([[ok(), same], [err('EINVAL'), same]], 'MAP-20: a start below the mapping wraps below 0 (EINVAL) or not (nothing of the mapping unmapped: 0), depending on its address', [map20Fact]);
    }
    if (op.offset > TASK_SIZE_LA57 || len > TASK_SIZE_LA57 - op.offset) return only(s, err('EINVAL'), [map20Fact]);
    const a = op.offset >> 12n;
    const b = (op.offset + alen) >> 12n;
    const pages = BigInt(m.pages);
    const next = a >= pages ? same : () => unmapPages(s, op.map, m, Number(a), Number(b < pages ? b : pages), op.id);
    if (op.offset + alen <= pages * P + MIN_GAP) return andThen(ok(), next, [life1]);
    return cases([[ok(), next], [err('EINVAL'), same]], 'MAP-20: whether start + length passes TASK_SIZE depends on the mapping address and on the paging mode (4- or 5-level)', [map20Fact, life1]);
  },
});
export const munmapPartChain = [map20] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  munmapPart: (p, s, o) => must({ p, s, op: o }, munmapPartChain),
} satisfies Steps;
