/**
 * /proc/self/smaps entry of the VMA holding a map offset (MAP-38; docs/kernel-surface.md J02).
 * The VMA is the run of map pages around the offset whose VMA-level attributes are equal
 * (./vma-flags.ts). Residency follows the PTEs: Rss counts every mapped page, Anonymous the
 * MAP_PRIVATE copies, a page-cache page is Private when one PTE maps it and Shared when more do,
 * Pss divides each page by its mapcount, Locked is the Pss of a VM_LOCKED VMA; host mappings stay
 * order-0, so FilePmdMapped is 0 (LVL-5); a gmem VMA is never THP-eligible.
 */
import { ok, type Outcome, type OpOf } from '../vocab/index.js';
import { cases, only, rule, type Decision } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { EMPTY, imEach, imGet, type IMap } from '../state/imap.js';
import type { Mapping, SpecState } from '../state/types.js';
import { deadMap } from '../lifetime/handles.js';
import { protOf } from '../mmap/prot-at.js';
import { genFaultAround, maybeMapped, otherMappers } from '../mmap/fault-around.js';
import { onMap, type Steps } from '../run.js';
import { ADV, sameAttrs, vmaBounds, vmFlagLetters } from './vma-flags.js';
import { lvl5 } from '../mmap/madvise.js';
import { cre17, linkOf } from './fdinfo.js';

export const smapsDead = deadMap<Ctx<'smaps'>>('EFAULT');

/** Outside the mapping's own pages there is no VMA (the unmapped gap after each mapping, spec/README.md): ok null. */
export const smapsOutside = rule<Ctx<'smaps'>>({
  id: 'MAP-38',
  cite: 'MAP-38; fs/proc/task_mmu.c show_smap (one entry per VMA), v7.2',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map)!;
    return op.offset >= 0n && op.offset < BigInt(m.pages) * 4096n ? undefined : only(s, ok(null));
  },
});


/** One page's share of the entry: resident or not, and if resident, anonymous or its mapcount. */
export type PageView = { readonly kind: 'none' } | { readonly kind: 'anon' } | { readonly kind: 'file'; readonly mapcount: number };


/** The views map page mp may have (more than one where fault-around may have mapped it or another mapping). */
export const pageViews = (s: SpecState, id: number, map: Mapping, mp: number): PageView[] => {
  const cow = imGet(map.cow, mp);
  // An all-zero private copy may be the shared zero page (UFFDIO_ZEROPAGE into a private mapping:
  // mm/userfaultfd.c mfill_atomic_pte_zeropage), which smaps does not count (vm_normal_page is NULL
  // for it: fs/proc/task_mmu.c smaps_pte_entry), v7.2; measured on 6.18.44 memfd.
  if (cow !== undefined) return cow === EMPTY ? [{ kind: 'anon' }, { kind: 'none' }] : [{ kind: 'anon' }];
  const own = imGet(map.ptes, mp) !== undefined;
  if (!own && !maybeMapped(map, mp)) return [{ kind: 'none' }];
  const [sure, maybe] = otherMappers(s, id, map.inode, map.pgoff + mp);
  const mapped: PageView[] = [];
  for (let k = 0; k <= maybe; k++) mapped.push({ kind: 'file', mapcount: 1 + sure + k });
  return own ? mapped : [{ kind: 'none' }, ...mapped];
};

/** PSS_SHIFT (fs/proc/task_mmu.c): Pss is summed in 1/4096ths of a byte. */
const PSS_ONE = 4096 * 4096;

export interface Totals { readonly rss: number; readonly pssU: number; readonly shared: number; readonly priv: number; readonly anon: number }
const keyOf = (t: Totals): string => `${t.rss}/${t.pssU}/${t.shared}/${t.priv}/${t.anon}`;

/** A run of map pages [lo, hi) of mapping `id` that is part of the VMA. */
export interface Part { readonly id: number; readonly map: Mapping; readonly lo: number; readonly hi: number }

/** Every distinct total the VMA's pages may add up to (deduplicated as it goes, so it stays small). */
export const totals = (s: SpecState, parts: readonly Part[]): Totals[] => {
  let acc = new Map<string, Totals>([['', { rss: 0, pssU: 0, shared: 0, priv: 0, anon: 0 }]]);
  for (const { id, map, lo, hi } of parts) {
    for (const mp of residentCandidates(map, lo, hi)) {
      const views = pageViews(s, id, map, mp);
      const next = new Map<string, Totals>();
      for (const t of acc.values()) {
        for (const v of views) {
          const u: Totals = v.kind === 'none' ? t
            : v.kind === 'anon' ? { ...t, rss: t.rss + 1, pssU: t.pssU + PSS_ONE, priv: t.priv + 1, anon: t.anon + 1 }
            : { ...t, rss: t.rss + 1, pssU: t.pssU + Math.floor(PSS_ONE / v.mapcount), shared: t.shared + (v.mapcount > 1 ? 1 : 0), priv: t.priv + (v.mapcount > 1 ? 0 : 1) };
          next.set(keyOf(u), u);
        }
      }
      acc = next;
    }
  }
  return [...acc.values()];
};

/**
 * The other mappings of the same file that may sit right below (or above) `map` in the address
 * space and so share one VMA with it: the kernel chooses addresses, and mmap and every VMA flag
 * change merge a VMA with a neighbour of the same file at the contiguous file offset, the same
 * flags and equal VMA-level state (mm/vma.c vma_merge_new_range, vma_merge_existing_range,
 * is_mergeable_vma: no ->close in either vm_ops). Both sharing and not sharing are allowed: the
 * address decides. Each candidate comes as the part of it that would join (its edge VMA).
 */
const neighbours = (s: SpecState, map: Mapping, seen: ReadonlySet<number>, below: boolean): Part[] => {
  const out: Part[] = [];
  for (const [id, n] of s.maps) {
    if (seen.has(id) || n.inode !== map.inode || n.shared !== map.shared || n.pages === 0) continue;
    if (below ? n.pgoff + n.pages !== map.pgoff : map.pgoff + map.pages !== n.pgoff) continue;
    const edge = below ? n.pages - 1 : 0;
    if (!sameAttrs(n, edge, map, below ? 0 : map.pages - 1)) continue;
    const [lo, hi] = vmaBounds(n, edge);
    out.push({ id, map: n, lo, hi });
  }
  return out;
};

/** Every run of neighbour parts that may join the VMA on one side (nearest first), the empty one included; at most 64. */
export const extensions = (s: SpecState, map: Mapping, seen: ReadonlySet<number>, below: boolean): Part[][] => {
  const out: Part[][] = [[]];
  for (const n of neighbours(s, map, seen, below)) {
    // A further neighbour joins only through one whose whole range is one VMA.
    const rest = n.lo === 0 && n.hi === n.map.pages ? extensions(s, n.map, new Set([...seen, n.id]), below) : [[]];
    for (const r of rest) if (out.length < 64) out.push([n, ...r]);
  }
  return out;
};

/** The map pages of [lo, hi) that have or may have a PTE (the rest add nothing). */
export const residentCandidates = (map: Mapping, lo: number, hi: number): number[] => {
  const out = new Set<number>();
  const add = <V>(im: IMap<V>) => imEach(im, lo, hi, (a, b, v) => { if (v !== undefined) for (let p = a; p < b; p++) out.add(p); });
  add(map.ptes); add(map.cow); add(map.around);
  return [...out].sort((a, b) => a - b);
};

const kB = (pages: number): number => pages * 4;

/**
 * MAP-38: the entry's stable fields. Sizes in kB as the file prints them; Pss and Locked are the
 * summed 1/4096-byte shares shifted down (PSS_SHIFT), then to kB. THPeligible: 0 for gmem (no
 * huge_fault, and file THP needs VM_EXEC, which the noexec pseudo filesystem forbids); for shmem it
 * follows the shmem THP sysfs knobs and the VMA's size and address alignment, so 0 or 1, except
 * that VM_NOHUGEPAGE makes it 0.
 */
export const map38 = rule<MapCtx<'smaps'>>({
  id: 'MAP-38',
  cite: 'MAP-38; fs/proc/task_mmu.c show_smap, smaps_account (refcount 1 or mapcount < 2: private; pss / mapcount), smaps_pte_entry (VM_LOCKED → pss_locked), show_smap_vma_flags; mm/huge_memory.c __thp_vma_allowable_orders (TVA_SMAPS: shmem_allowable_huge_orders for shmem, vma_can_map_huge_file otherwise: no huge_fault, file_thp_enabled needs VM_EXEC); mm/vma.c vma_merge_new_range, is_mergeable_vma, v7.2',
  decide: ({ p, s, op, map, ino }): Decision => {
    const mp = Number(op.offset >> 12n);
    const [lo, hi] = vmaBounds(map, mp);
    const flags = vmFlagLetters(map, ino, mp);
    const locked = imGet(map.locked, mp) !== undefined;
    const nh = ((imGet(map.advised, mp) ?? 0) & ADV.NH) !== 0;
    const thp = ino.kind === 'memfd' && !nh ? [0, 1] : [0];
    const own: Part = { id: op.map, map, lo, hi };
    // The maps line: permissions, the file offset of the VMA's first page, the file's name (CRE-17).
    const prot = protOf(map, mp);
    const perms = `${prot & 1 ? 'r' : '-'}${prot & 2 ? 'w' : '-'}${prot & 4 ? 'x' : '-'}${map.shared ? 's' : 'p'}`;
    const name = linkOf(ino.kind, p.variants.fsMagic);
    const downs = lo === 0 ? extensions(s, map, new Set([op.map]), true) : [[]];
    const ups = hi === map.pages ? extensions(s, map, new Set([op.map]), false) : [[]];
    const outs = new Map<string, Outcome>();
    const pages = (ps: readonly Part[]): number => ps.reduce((n, p) => n + p.hi - p.lo, 0);
    for (const down of downs) {
      for (const up of ups) {
        if (up.some((u) => down.some((d) => d.id === u.id))) continue;
        const start = BigInt(lo - pages(down)) * 4096n;
        const first = down.length > 0 ? down[down.length - 1]! : own;
        const offset = BigInt(first.map.pgoff + first.lo) * 4096n;
        const end = BigInt(hi + pages(up)) * 4096n;
        for (const t of totals(s, [...down, own, ...up])) {
          const pss = Math.floor(Math.floor(t.pssU / 4096) / 1024);
          for (const thpEligible of thp) {
            const o = ok({
              start, end, perms, offset, name, rss: kB(t.rss), pss, shared: kB(t.shared), private: kB(t.priv), anonymous: kB(t.anon),
              filePmdMapped: 0, locked: locked ? pss : 0, thpEligible, flags,
            });
            outs.set(`${start}/${end}/${keyOf(t)}/${thpEligible}`, o);
          }
        }
      }
    }
    const down = downs.flat();
    const up = ups.flat();
    const around = [...down, own, ...up].some((p) => residentCandidates(p.map, p.lo, p.hi).some((q) => pageViews(s, p.id, p.map, q).length > 1));
    const also = [lvl5, cre17, ...(around ? [genFaultAround] : [])];
    const all = [...outs.values()];
    if (all.length === 1) return only(s, all[0]!, also);
    const why = [thp.length > 1 ? 'shmem THP eligibility follows the host\'s shmem_enabled knobs and the VMA\'s address alignment' : '',
      down.length + up.length > 0 ? 'another mapping of the file at the contiguous offset may sit next to this one and share its VMA (the kernel picks the addresses)' : '',
      around ? 'pages an earlier read fault may have mapped around count or not (GEN-FAULT-AROUND)' : ''].filter(Boolean).join('; ');
    return { ...cases(all.map((o) => [o, () => s] as const), `MAP-38: ${why}`), also };
  },
});

export const smapsPre = [smapsDead, smapsOutside] as const;
export const smapsChain = [map38] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  smaps: (p, s, o: OpOf<'smaps'>) => onMap({ p, s, op: o }, smapsPre, o.map, smapsChain),
} satisfies Steps;
