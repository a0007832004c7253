/**
 * The VMA flags madvise sets that the smaps outcome reports (MAP-38): VM_SEQ_READ, VM_RAND_READ,
 * VM_DONTCOPY, VM_DONTDUMP, VM_NOHUGEPAGE and VM_MERGEABLE, kept per map page because each splits
 * the VMA (mm/madvise.c madvise_update_vma), and the VMA boundaries an smaps entry shows: a run of
 * map pages whose VMA-level attributes are all equal is one VMA (the kernel merges equal neighbours
 * back, mm/vma.c vma_modify_flags → vma_merge_existing_range).
 */
import { UFFD_MODE, VM_FLAG_LETTERS, type MadviseAdvice } from '../vocab/index.js';
import { imGet, imRuns, imSet, imUpdate, type IMap } from '../state/imap.js';
import type { Inode, Mapping } from '../state/types.js';
import { protOf } from '../mmap/prot-at.js';

export const ADV = { SR: 1, RR: 2, DC: 4, DD: 8, NH: 16, MG: 32 } as const;

/** The advices that only set or clear VMA flags: [bits set, bits cleared]. VM_HUGEPAGE is the mapping's `hugepage`. */
const FLAG_ADVICE: Partial<Record<MadviseAdvice, readonly [number, number]>> = {
  NORMAL: [0, ADV.SR | ADV.RR],
  SEQUENTIAL: [ADV.SR, ADV.RR],
  RANDOM: [ADV.RR, ADV.SR],
  DONTFORK: [ADV.DC, 0],
  DOFORK: [0, ADV.DC],
  DONTDUMP: [ADV.DD, 0],
  DODUMP: [0, ADV.DD],
  NOHUGEPAGE: [ADV.NH, 0],
  HUGEPAGE: [0, ADV.NH],
  UNMERGEABLE: [0, ADV.MG],
};

/**
 * The mapping after an advice over map pages [a, b). MERGEABLE sets VM_MERGEABLE only where KSM
 * takes the VMA: not on a shared one (mm/ksm.c ksm_compatible: VM_SHARED/VM_MAYSHARE ignore the
 * advice). HUGEPAGE and NOHUGEPAGE exclude each other (mm/khugepaged.c hugepage_madvise).
 */
export const advisedAfter = (map: Mapping, advice: MadviseAdvice, a: number, b: number): Mapping => {
  if (a >= b) return map;
  const sc = advice === 'MERGEABLE' ? (map.shared ? undefined : ([ADV.MG, 0] as const)) : FLAG_ADVICE[advice];
  if (sc === undefined) return map;
  const [set, clear] = sc;
  const advised = imUpdate(map.advised, a, b, (v) => ((v ?? 0) | set) & ~clear || undefined);
  const hugepage = advice === 'HUGEPAGE' ? imSet(map.hugepage, a, b, true) : advice === 'NOHUGEPAGE' ? imSet(map.hugepage, a, b, undefined) : map.hugepage;
  return advised === map.advised && hugepage === map.hugepage ? map : { ...map, advised, hugepage };
};

const uffdKey = (m: Mapping, p: number): string => {
  const r = imGet(m.uffd, p);
  return r === undefined ? '' : `${r.uffd}:${r.mode}`;
};
/** Do page p of mapping m and page q of mapping n carry equal VMA-level attributes (mergeable neighbours)? */
export const sameAttrs = (m: Mapping, p: number, n: Mapping, q: number): boolean =>
  protOf(m, p) === protOf(n, q) && imGet(m.hugepage, p) === imGet(n.hugepage, q) && imGet(m.locked, p) === imGet(n.locked, q) &&
  imGet(m.vmaPolicy, p) === imGet(n.vmaPolicy, q) && imGet(m.advised, p) === imGet(n.advised, q) && uffdKey(m, p) === uffdKey(n, q);
/** Two map pages lie in one VMA when every VMA-level attribute is equal. */
const sameVma = (m: Mapping, p: number, q: number): boolean => sameAttrs(m, p, m, q);

/** The VMA holding map page mp, as map pages [lo, hi): only run edges of the attributes can end it. */
export const vmaBounds = (m: Mapping, mp: number): readonly [number, number] => {
  const edges = new Set<number>();
  const add = (im: IMap<unknown>) => { for (const r of imRuns(im)) { edges.add(r.s); edges.add(r.e); } };
  add(m.hugepage); add(m.locked); add(m.vmaPolicy); add(m.advised); add(m.uffd);
  if (m.protAt !== undefined) add(m.protAt);
  const sorted = [...edges].filter((e) => e > 0 && e < m.pages).sort((x, y) => x - y);
  let lo = 0;
  let hi = m.pages;
  for (const e of sorted) {
    if (e <= mp && !sameVma(m, e - 1, e)) lo = e;
    if (e > mp && !sameVma(m, e - 1, e)) { hi = e; break; }
  }
  return [lo, hi];
};

/** The VmFlags letters (VM_FLAG_LETTERS order) of the VMA holding map page mp. */
export const vmFlagLetters = (m: Mapping, ino: Inode, mp: number): string[] => {
  const adv = imGet(m.advised, mp) ?? 0;
  const uffd = imGet(m.uffd, mp)?.mode ?? 0n;
  const on: Record<string, boolean> = {
    rd: (protOf(m, mp) & 1) !== 0, wr: (protOf(m, mp) & 2) !== 0, ex: (protOf(m, mp) & 4) !== 0, sh: m.shared,
    // VM_MAYWRITE: both kinds of file are opened O_RDWR. VM_MAYEXEC is dropped on a noexec mount:
    // the gmem pseudo filesystem is one (init_pseudo sets SB_I_NOEXEC), shmem's internal mount is not.
    mr: true, mw: true, me: ino.kind === 'memfd', ms: m.shared,
    lo: imGet(m.locked, mp) !== undefined,
    sr: (adv & ADV.SR) !== 0, rr: (adv & ADV.RR) !== 0, dc: (adv & ADV.DC) !== 0, dd: (adv & ADV.DD) !== 0,
    hg: imGet(m.hugepage, mp) === true, nh: (adv & ADV.NH) !== 0, mg: (adv & ADV.MG) !== 0,
    um: (uffd & UFFD_MODE.MISSING) !== 0n, uw: (uffd & UFFD_MODE.WP) !== 0n, ui: (uffd & UFFD_MODE.MINOR) !== 0n,
  };
  return VM_FLAG_LETTERS.filter((l) => on[l]);
};
