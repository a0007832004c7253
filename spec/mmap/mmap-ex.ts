/**
 * mmapEx: mmap with its whole flags word and a placement (docs/kernel-surface.md E02–E05, G14),
 * in the kernel's check order: x86 sys_mmap (offset alignment), ksys_mmap_pgoff (the fd, then
 * MAP_HUGETLB on a file that is not hugetlbfs), do_mmap (length, offset overflow, the address,
 * MAP_FIXED_NOREPLACE, file_mmap_ok, the mapping type and the SHARED_VALIDATE check of the word,
 * noexec, MAP_GROWSDOWN), then mmap_region: a fixed mapping unmaps what it covers *before* the
 * file's mmap method runs, so a gmem refusal there (MAP-1, MAP-2) leaves that range unmapped.
 * MAP_POPULATE and MAP_LOCKED populate afterwards with errors ignored (MAP-18).
 *
 * The addresses: the spec's address space is isolated, with an unmapped gap after every mapping
 * (spec/README.md), so `over` meets exactly the mapping it names. A fixed mapping shorter than the
 * one it covers leaves that one's tail mapped: unreachable through its handle (dead), it still
 * holds its file (the mapping count is not dropped).
 */
import { PROT, err, ok, type Outcome } from '../vocab/index.js';
import { LEGACY_MAP_MASK, MAP_FLAG as F, sentMapFlags } from '../vocab/ops-map.js';
import { andThen, eitherOf, fact, only, rule, type Decision } from '../rule.js';
import { LLONG_MAX, P, TASK_SIZE, aligned, type Ctx, type FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { dropMapRef, life1 } from '../lifetime/release.js';
import { EMPTY, imSet } from '../state/imap.js';
import { ADV } from '../observe/vma-flags.js';
import { setIn, withInode, withMap } from '../state/update.js';
import type { Mapping, SpecState } from '../state/types.js';
import { gupEither, gupFaultIn, gupStop, type GupStop } from './gup.js';
import { cowRange } from './page-io.js';
import { map19, map3, vmaProt } from './mmap.js';
import { onFile, type Steps } from '../run.js';

type C = Ctx<'mmapEx'>;
type Fc = FileCtx<'mmapEx'>;
const u64 = (b: bigint): bigint => BigInt.asUintN(64, b);

/** The flags word as sent (CONVENTIONS.md: ANONYMOUS cleared; the fixed bits only with a live placement). */
const placedOn = (s: SpecState, op: C['op']): number | undefined =>
  op.place.kind !== 'any' && s.maps.has(op.place.map) ? op.place.map : undefined;
const flagsOf = (s: SpecState, op: C['op']): bigint => sentMapFlags(op.flags, placedOn(s, op) !== undefined);
const fixed = (fl: bigint): boolean => (fl & (F.FIXED | F.FIXED_NOREPLACE)) !== 0n;

export const map17 = fact('MAP-17', 'MAP-17; mm/mmap.c do_mmap (LEGACY_MAP_MASK, type switch), v7.2');
export const map18 = fact('MAP-18', 'MAP-18; mm/mmap.c do_mmap (*populate for MAP_POPULATE without MAP_NONBLOCK, or VM_LOCKED); mm/gup.c __mm_populate (ignore_errors), v7.2');

export const exOffAlign = rule<C>({
  id: 'GEN-MMAP-ARGS',
  cite: 'arch/x86/kernel/sys_x86_64.c sys_mmap (offset alignment checked first)',
  decide: ({ s, op }) => (aligned(u64(op.offset)) ? undefined : only(s, err('EINVAL'))),
});
export const exDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));
/** MAP-17: ksys_mmap_pgoff refuses MAP_HUGETLB on a file that is not hugetlbfs, right after fget. */
export const exHugetlb = rule<C>({
  id: 'MAP-17',
  cite: 'MAP-17; mm/mmap.c ksys_mmap_pgoff (MAP_HUGETLB on a non-hugetlbfs file → EINVAL), v7.2; obs:MM-* (HUGETLB EINVAL)',
  decide: ({ s, op }) => ((flagsOf(s, op) & F.HUGETLB) !== 0n ? only(s, err('EINVAL')) : undefined),
});
/**
 * GEN-MMAP-ARGS then MAP-17: length 0 → EINVAL; the page-rounded length wraps → ENOMEM; pgoff +
 * longer than TASK_SIZE → ENOMEM (get_unmapped_area); with a fixed
 * placement the kernel checks addr + len against TASK_SIZE, which the spec cannot see (ENOMEM or
 * on); MAP_FIXED_NOREPLACE over a live mapping → EEXIST; file_mmap_ok → EOVERFLOW.
 */
export const exLenPlace = rule<C>({
  id: 'MAP-17',
  cite: 'MAP-17; mm/mmap.c do_mmap (len 0 → EINVAL; PAGE_ALIGN wrap → ENOMEM; __get_unmapped_area; MAP_FIXED_NOREPLACE → find_vma_intersection → EEXIST; file_mmap_ok → EOVERFLOW), v7.2',
  decide: ({ s, op }) => {
    const length = u64(op.length);
    if (length === 0n) return only(s, err('EINVAL'));
    const len = (length + P - 1n) & ~(P - 1n);
    if (len >= 1n << 64n) return only(s, err('ENOMEM'));
    if (len > TASK_SIZE) return only(s, err('ENOMEM'));
    const fl = flagsOf(s, op);
    const on = placedOn(s, op);
    if (on !== undefined && (fl & F.FIXED_NOREPLACE) !== 0n) return only(s, err('EEXIST'), [map17]);
    if (u64(op.offset) >> 12n > (LLONG_MAX - len) >> 12n) return only(s, err('EOVERFLOW'));
    return undefined;
  },
});
/** MAP-17: the mapping type and the word. */
export const exType = rule<C>({
  id: 'MAP-17',
  cite: 'MAP-17; mm/mmap.c do_mmap (MAP_SHARED: flags &= LEGACY_MAP_MASK; MAP_SHARED_VALIDATE: flags & ~LEGACY_MAP_MASK → EOPNOTSUPP, no FOP_MMAP_SYNC on shmem or gmem; MAP_PRIVATE: no check; any other type → EINVAL), include/linux/mman.h LEGACY_MAP_MASK, v7.2',
  decide: ({ s, op }) => {
    const fl = flagsOf(s, op);
    const type = fl & F.TYPE;
    if (type === F.SHARED_VALIDATE && (fl & ~LEGACY_MAP_MASK) !== 0n) return only(s, err('EOPNOTSUPP'));
    if (type !== F.SHARED && type !== F.SHARED_VALIDATE && type !== F.PRIVATE) return only(s, err('EINVAL'));
    return undefined;
  },
});
export const exPre = [exOffAlign, exDead, exHugetlb, exLenPlace, exType] as const;

/** MAP-3 before the type's last check: the gmem mount is noexec. */
export const exNoexec = rule<Fc>({
  id: 'MAP-3',
  cite: 'MAP-3; mm/mmap.c do_mmap path_noexec (VM_EXEC → EPERM), v7.2',
  decide: ({ s, op, ino }) => (ino.kind === 'gmem' && (op.prot & BigInt(PROT.EXEC)) !== 0n ? only(s, err('EPERM')) : undefined),
});
/** MAP-17: MAP_GROWSDOWN gives VM_GROWSDOWN, which no file mapping may have. */
export const exGrows = rule<Fc>({
  id: 'MAP-17',
  cite: 'MAP-17; include/linux/mman.h calc_vm_flag_bits (MAP_GROWSDOWN → VM_GROWSDOWN); mm/mmap.c do_mmap (file mapping with VM_GROWSDOWN → EINVAL), v7.2',
  decide: ({ s, op }) => ((flagsOf(s, op) & F.GROWSDOWN) !== 0n ? only(s, err('EINVAL')) : undefined),
});

const COMMIT_LIMIT = 1n << 30n;
const HUGE_MAP = 1n << 44n;
export const exOvercommit = fact('GEN-OVERCOMMIT', 'mm/mmap.c accountable_mapping; mm/util.c __vm_enough_memory');

/** What a fixed placement over a live mapping leaves of it: gone when covered, else an orphan tail. */
const unmapCovered = (s: SpecState, op: C['op'], fl: bigint): SpecState => {
  const on = placedOn(s, op);
  if (on === undefined || (fl & F.FIXED) === 0n || (fl & F.FIXED_NOREPLACE) !== 0n) return s;
  const m = s.maps.get(on)!;
  const pages = (u64(op.length) + P - 1n) >> 12n;
  const gone = withMap(s, on, undefined);
  // The uncovered tail stays mapped, unreachable through the handle, and keeps the file referenced.
  return pages >= BigInt(m.pages) ? dropMapRef(gone, m.inode) : gone;
};

/** MAP-1 / MAP-2 from the gmem mmap method, after a fixed placement already unmapped its range. */
export const exGmemMethod = rule<Fc>({
  id: 'MAP-17',
  cite: 'MAP-1, MAP-2, MAP-17; mm/vma.c __mmap_region (__mmap_setup clears the old range, then mmap_file; vms_abort_munmap_vmas leaves a gap once the PTEs were cleared), v7.2',
  decide: ({ s, op, ino }) => {
    if (ino.kind !== 'gmem') return undefined;
    const shared = (flagsOf(s, op) & F.TYPE) !== F.PRIVATE;
    const e = !ino.mmapable ? 'ENODEV' : !shared ? 'EINVAL' : undefined;
    if (e === undefined) return undefined;
    const after = unmapCovered(s, op, flagsOf(s, op));
    const d = after === s ? only(s, err(e), [map17]) : andThen(err(e), () => after, [map17, life1]);
    // A large private writable mapping is accounted (and may be refused) before anything is unmapped.
    const accounted = !shared && (op.prot & BigInt(PROT.WRITE)) !== 0n && u64(op.length) > COMMIT_LIMIT;
    return accounted ? eitherOf(d, only(s, err('ENOMEM'), [exOvercommit]), 'GEN-OVERCOMMIT: a large private writable mapping may exceed the commit limit') : d;
  },
});


/** The mapping is made (over what it covers), then populated if asked, errors ignored. */
const accept = (c: Fc): Decision => {
    const { p, s, op, ino } = c;
    const fl = flagsOf(s, op);
    const shared = (fl & F.TYPE) !== F.PRIVATE;
    const locked = (fl & F.LOCKED) !== 0n;
    const populate = wantsPopulate(fl);
    const pages = Number((u64(op.length) + P - 1n) >> 12n);
    const made = (lock: boolean): SpecState => {
      const base = unmapCovered(s, op, fl);
      const ino2 = base.inodes.get(ino.id)!;
      const m: Mapping = {
        inode: ino.id, pgoff: Number(u64(op.offset) >> 12n), pages, lenBytes: op.length, prot: vmaProt(op.prot), shared,
        ptes: EMPTY, around: EMPTY, vmaPolicy: EMPTY, uffd: EMPTY, cow: EMPTY, hugepage: EMPTY,
        // MAP_STACK becomes VM_NOHUGEPAGE (include/linux/mman.h calc_vm_flag_bits, since v6.7 with
        // CONFIG_TRANSPARENT_HUGEPAGE, which every profile's kernel has): smaps shows `nh` (MAP-38).
        // Found by a native run on 6.18.44 (flags 0x28002).
        advised: (fl & F.STACK) !== 0n ? imSet(EMPTY, 0, pages, ADV.NH) : EMPTY,
        locked: lock ? imSet(EMPTY, 0, pages, true) : EMPTY,
      };
      const out = withMap(withInode(base, { ...ino2, mapCount: ino2.mapCount + 1 }), op.id, m);
      return { ...out, mapped: setIn(out.mapped, op.id, true) };
    };
    const also = [map17, ...(populate ? [map18] : []), ...(op.prot >> 3n !== 0n ? [map19] : [])];
    const withPopulate = (lock: boolean): Decision => {
      if (!populate || (op.prot & 7n) === 0n) return andThen(ok(), () => made(lock), also);
      const st = made(lock);
      const map = st.maps.get(op.id)!;
      const write = !shared && (map.prot & 2) !== 0;
      const done = (g: GupStop): Decision => andThen(ok(), () => {
        const faulted = gupFaultIn(st, op.id, 0, Math.min(g.stop, pages), 'gup', !write);
        return write ? cowRange(faulted, op.id, 0, Math.min(g.stop, pages)) : faulted;
      }, g.why === null ? also : [...also, g.why]);
      return gupEither(gupStop(p, st, map, 0, pages, write, 'force'), done);
    };
    // DMAP-21: the NO_DIRECT_MAP series leaves such a VMA unlocked. Whether its mm patch reaches
    // this path too was not read; the spec keeps one world (the same outcome could not tell two
    // apart), the one MAP-28 and MAP-22 already assume for an ndm mlock.
    const d = withPopulate(locked && !ino.noDirectMap);
    const fail = (): Outcome => err('ENOMEM');
    const big32 = (fl & F['32BIT']) !== 0n && !fixed(fl) && u64(op.length) >= 1n << 27n;
    const len = u64(op.length);
    if (!shared && (op.prot & BigInt(PROT.WRITE)) !== 0n && len > COMMIT_LIMIT) {
      return eitherOf(d, only(s, fail(), [exOvercommit]), 'GEN-OVERCOMMIT: a large private writable mapping may exceed the commit limit');
    }
    if (len > HUGE_MAP || big32 || (placedOn(s, op) !== undefined && fixed(fl) && len > 1n << 40n)) {
      return eitherOf(d, only(s, fail()), 'a mapping this large may not find room in the address space (MAP_32BIT: in the 1 GiB window below 2 GiB; fixed: it may end past TASK_SIZE)');
    }
    return d;
};
const wantsPopulate = (fl: bigint): boolean => (fl & F.LOCKED) !== 0n || (fl & (F.POPULATE | F.NONBLOCK)) === F.POPULATE;

/** MAP-18: a mapping that asks to be populated (MAP_POPULATE without MAP_NONBLOCK, or MAP_LOCKED). */
export const exPopulate = rule<Fc>({
  id: 'MAP-18',
  cite: 'MAP-18, MAP-17, MAP-4; mm/mmap.c do_mmap (*populate), mm/util.c vm_mmap_pgoff (mm_populate); mm/gup.c __mm_populate (ignore_errors: the first page that cannot be faulted ends the VMA\'s populate), populate_vma_page_range, v7.2',
  decide: (c) => (wantsPopulate(flagsOf(c.s, c.op)) ? accept(c) : undefined),
});
/** MAP-17: the mapping is made over what it covers (MAP-4: whatever the file size). */
export const exAccept = rule<Fc>({
  id: 'MAP-17',
  cite: 'MAP-17, MAP-4; mm/mmap.c do_mmap; mm/vma.c __mmap_region, v7.2',
  decide: accept,
});
export const exChain = [exNoexec, exGrows, exGmemMethod, exPopulate, exAccept] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  mmapEx: (p, s, o) => onFile({ p, s, op: o }, exPre, o.fd, () => exChain),
} satisfies Steps;
