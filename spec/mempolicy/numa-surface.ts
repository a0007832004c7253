/**
 * The NUMA calls of the wider surface (issue 15): get_mempolicy with its whole `unsigned long`
 * flags word (POL-22), the numa_maps line of a gmem or memfd VMA (POL-24) and move_pages of the pages
 * of a mapping (POL-20).
 */
import { GET_MEMPOLICY_FLAG as F, MPOL, MPOL_MF, err, ok, type OpOf, type Outcome, type Profile, type Value } from '../vocab/index.js';
import { cases, fact, first, only, rule, type Decision } from '../rule.js';
import type { Ctx, MapCtx } from '../ctx.js';
import { imGet } from '../state/imap.js';
import type { Policy } from '../state/types.js';
import { deadMap } from '../lifetime/handles.js';
import { eitherVerdict, must, onMap, type Steps } from '../run.js';
import type { Verdict } from '../verdict.js';
import type { SpecState } from '../state/types.js';
import { steps as getPolicySteps } from './getpolicy.js';
import { MPOL_F_NUMA_BALANCING, MPOL_F_RELATIVE_NODES, MPOL_F_STATIC_NODES } from './policy.js';
import { vmaBounds } from '../observe/vma-flags.js';
import { extensions, pageViews, residentCandidates, totals, type Part } from '../observe/smaps.js';
import { genFaultAround, maybeMapped } from '../mmap/fault-around.js';
import { cre17, linkOf } from '../observe/fdinfo.js';

const online = (p: Profile): bigint => (1n << BigInt(Math.min(p.numaNodes, 63))) - 1n;

export const getFlagsDead = deadMap<Ctx<'getMempolicyFlags'>>('EFAULT');

/**
 * POL-22: the flags word is an unsigned long, checked whole before anything else: a bit outside
 * NODE|ADDR|MEMS_ALLOWED (bit 32 and 63 included) → EINVAL; MEMS_ALLOWED with NODE or ADDR →
 * EINVAL, alone → 0 with mode 0 and the task's allowed nodes (no cpuset here: every node with
 * memory); without ADDR the non-zero address is EINVAL (the op always passes one). ADDR and
 * ADDR|NODE then answer as getMempolicy does (POL-1, 1′, 2, 4, 8).
 */
export const pol22 = rule<Ctx<'getMempolicyFlags'>>({
  id: 'POL-22',
  cite: 'POL-22; mm/mempolicy.c do_get_mempolicy (flags & ~(unsigned long)(MPOL_F_NODE|MPOL_F_ADDR|MPOL_F_MEMS_ALLOWED) → EINVAL; MPOL_F_MEMS_ALLOWED: cpuset_current_mems_allowed; else if (addr) → EINVAL), v6.18, v7.2',
  decide: ({ p, s, op }) => {
    const f = op.flags;
    if ((f & ~(F.NODE | F.ADDR | F.MEMS_ALLOWED)) !== 0n) return only(s, err('EINVAL'));
    if ((f & F.MEMS_ALLOWED) !== 0n) return (f & (F.NODE | F.ADDR)) !== 0n ? only(s, err('EINVAL')) : only(s, ok({ mode: 0, nodes: online(p) }));
    return (f & F.ADDR) === 0n ? only(s, err('EINVAL')) : undefined;
  },
});

const getMempolicyFlags = (p: Profile, s: SpecState, o: OpOf<'getMempolicyFlags'>): Verdict<SpecState> => {
  const v = first({ p, s, op: o }, [getFlagsDead, pol22]);
  if (v !== undefined) return v;
  const query = (o.flags & F.NODE) !== 0n ? 'ADDR_NODE' : 'ADDR';
  const inner = getPolicySteps.getMempolicy(p, s, { kind: 'getMempolicy', map: o.map, offset: o.offset, query });
  return { ...inner, rules: [...inner.rules, 'POL-22'] };
};

// ---- numa_maps ---------------------------------------------------------------------------------

const MODE_NAME: Readonly<Record<number, string>> = {
  [MPOL.PREFERRED]: 'prefer', [MPOL.BIND]: 'bind', [MPOL.INTERLEAVE]: 'interleave', [MPOL.LOCAL]: 'local',
  [MPOL.PREFERRED_MANY]: 'prefer (many)', [MPOL.WEIGHTED_INTERLEAVE]: 'weighted interleave',
};

/** %*pbl: a node mask as a list of ranges ("0", "0-2,5"). */
const nodeList = (mask: bigint): string => {
  const out: string[] = [];
  for (let n = 0; n < 64; n++) {
    if (((mask >> BigInt(n)) & 1n) === 0n) continue;
    let e = n;
    while (e + 1 < 64 && ((mask >> BigInt(e + 1)) & 1n) === 1n) e++;
    out.push(e === n ? `${n}` : `${n}-${e}`);
    n = e;
  }
  return out.join(',');
};

const bitsOf = (m: bigint): number[] => Array.from({ length: 64 }, (_, i) => i).filter((i) => ((m >> BigInt(i)) & 1n) === 1n);

/** mpol_relative_nodemask: the user's mask folded onto the weight of the allowed set, then mapped onto it. */
const relative = (user: bigint, allowed: bigint): bigint => {
  const on = bitsOf(allowed);
  let out = 0n;
  for (const b of bitsOf(user)) out |= 1n << BigInt(on[b % on.length]!);
  return out;
};

/**
 * mpol_to_str: the mode's name, "=static" / "=relative" / "balancing" (joined by "|"), then the
 * policy's effective nodes (pol->nodes: the user's mask for get_mempolicy is kept apart, so a
 * STATIC mask wider than the online nodes shows its online part). No policy: "default".
 */
export const policyText = (p: Profile, pol: Policy | null): string => {
  if (pol === null) return 'default';
  const flags = pol.mode & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING);
  const mode = pol.mode & ~flags;
  if (mode === MPOL.LOCAL) return 'local';
  const words: string[] = [];
  if (flags & MPOL_F_STATIC_NODES) words.push('static');
  else if (flags & MPOL_F_RELATIVE_NODES) words.push('relative');
  if (flags & MPOL_F_NUMA_BALANCING) words.push('balancing');
  const nodes = flags & MPOL_F_RELATIVE_NODES ? relative(pol.nodes, online(p)) : pol.nodes & online(p);
  return `${MODE_NAME[mode] ?? 'unknown'}${words.length > 0 ? `=${words.join('|')}` : ''}${nodes === 0n ? '' : `:${nodeList(nodes)}`}`;
};

/** seq_path with "\n\t= ": those characters (and the space) are printed as \ooo octal escapes. */
const escaped = (path: string): string => path.replace(/[\n\t= ]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);

export const numaMapsDead = deadMap<Ctx<'numaMaps'>>('EFAULT');

/** Outside the mapping's own pages no VMA of the mapping is there (the unmapped gap): ok null. */
export const numaMapsOutside = rule<Ctx<'numaMaps'>>({
  id: 'POL-24',
  cite: 'POL-24; fs/proc/task_mmu.c show_numa_map (one line per VMA), v7.2',
  decide: ({ s, op }) => {
    const m = s.maps.get(op.map)!;
    return op.offset >= 0n && op.offset < BigInt(m.pages) * 4096n ? undefined : only(s, ok(null));
  },
});

/**
 * POL-24: the line of the VMA holding the offset. The policy is __get_vma_policy at vm_start: the
 * file's get_policy where it has one (shmem; gmem with policy hooks: the shared policy of the VMA's
 * first file page), else the VMA's own; none → the task policy (hold_task_mempolicy), "default"
 * when the task has none either. mapped=/N0= count the pages a PTE maps (anon= the private copies);
 * the VMA may extend into an adjacent mapping of the file (the kernel picks addresses, MAP-38).
 */
export const pol24 = rule<MapCtx<'numaMaps'>>({
  id: 'POL-24',
  cite: 'POL-24; fs/proc/task_mmu.c show_numa_map (__get_vma_policy(vma, vma->vm_start), else proc_priv->task_mempolicy; seq_path "\\n\\t= "; anon=, mapped= unless pages equals anon or dirty, N<node>=), gather_pte_stats; mm/mempolicy.c mpol_to_str, policy_modes; virt/kvm/guest_memfd.c kvm_gmem_get_policy (NULL when no shared policy), v7.2',
  decide: ({ p, s, op, map, ino }): Decision => {
    const mp = Number(op.offset >> 12n);
    const [lo, hi] = vmaBounds(map, mp);
    const own: Part = { id: op.map, map, lo, hi };
    const sharedScope = ino.kind === 'memfd' || p.variants.polScope === 'INODE';
    const file = escaped(linkOf(ino.kind, p.variants.fsMagic));
    const downs = lo === 0 ? extensions(s, map, new Set([op.map]), true) : [[]];
    const ups = hi === map.pages ? extensions(s, map, new Set([op.map]), false) : [[]];
    const outs = new Map<string, Outcome>();
    const pagesOf = (ps: readonly Part[]): number => ps.reduce((n, x) => n + x.hi - x.lo, 0);
    for (const down of downs) {
      for (const up of ups) {
        if (up.some((u) => down.some((d) => d.id === u.id))) continue;
        const start = BigInt(lo - pagesOf(down)) * 4096n;
        const head = down.length > 0 ? down[down.length - 1]! : own;
        const pol = sharedScope ? imGet(ino.policy, head.map.pgoff + head.lo) : imGet(head.map.vmaPolicy, head.lo);
        const policy = policyText(p, pol ?? s.taskPolicy);
        for (const t of totals(s, [...down, own, ...up])) {
          const n0s = p.numaNodes <= 1 ? [t.rss] : Array.from({ length: t.rss + 1 }, (_, i) => i);
          for (const n0 of n0s) outs.set(`${start}/${policy}/${t.rss}/${t.anon}/${n0}`, ok({ start, policy, file, pages: t.rss, anon: t.anon, n0 }));
        }
      }
    }
    const parts = [...downs.flat(), own, ...ups.flat()];
    const around = parts.some((x) => residentCandidates(x.map, x.lo, x.hi).some((q) => pageViews(s, x.id, x.map, q).length > 1));
    const also = [cre17, ...(around ? [genFaultAround] : [])];
    const all = [...outs.values()];
    if (all.length === 1) return only(s, all[0]!, also);
    return { ...cases(all.map((o) => [o, () => s] as const), 'POL-24: the VMA may join an adjacent mapping of the file (MAP-38), pages an earlier read fault mapped around count or not (GEN-FAULT-AROUND), and on more than one node where pages were placed is not modelled'), also };
  },
});

// ---- move_pages -------------------------------------------------------------------------------

export const movePagesDead = deadMap<Ctx<'movePages'>>('EFAULT');

/**
 * POL-20, the checks before any page: flags outside MOVE|MOVE_ALL → EINVAL; in move mode the node
 * of the first page must be a node with memory (else ENODEV: every page names the same node here),
 * checked inside the loop, so no page at all → 0 whatever the node.
 */
export const pol20Args = rule<Ctx<'movePages'>>({
  id: 'POL-20',
  cite: 'POL-20; mm/migrate.c kernel_move_pages (flags & ~(MPOL_MF_MOVE|MPOL_MF_MOVE_ALL) → EINVAL), do_pages_move (node < 0 or >= MAX_NUMNODES, or !node_state(node, N_MEMORY) → ENODEV, per page before its lookup), v7.2',
  decide: ({ p, s, op }) => {
    if ((op.flags & ~(MPOL_MF.MOVE | MPOL_MF.MOVE_ALL)) !== 0) return only(s, err('EINVAL'));
    if (op.pages === 0) return only(s, ok({ status: [] }));
    return op.move && (op.node < 0 || op.node >= p.numaNodes) ? only(s, err('ENODEV'), [env2]) : undefined;
  },
});
const env2 = fact('ENV-2', 'ENV-2 (online nodes from the profile)');
const map12 = fact('MAP-12', 'MAP-12 (gmem folios are unmovable; S1 migrate_folio refuses)');

/**
 * POL-20, per page: an address no VMA holds → EFAULT; no PTE → ENOENT; a mapped page → its node —
 * in move mode on one node the folio is already on the target (status = the node, nothing
 * migrated, return 0). vma_migratable holds for gmem (GFP_HIGHUSER is not below policy_zone) and
 * shmem. A page an earlier fault may have mapped around is either. On more than one node where a
 * folio sits is not modelled (POL-5), and whether a gmem folio refuses the move (MAP-12) is
 * UNVERIFIED: any node, and any count of pages not moved.
 */
export const pol20 = rule<MapCtx<'movePages'>>({
  id: 'POL-20',
  cite: 'POL-20; mm/migrate.c do_pages_stat_array (vma_lookup → -EFAULT, folio_walk_start → folio_nid or -ENOENT), add_folio_for_migration, __add_folio_for_migration (folio_nid == node → 0, status = node), do_pages_move; mm/mempolicy.c vma_migratable; virt/kvm/guest_memfd.c (mapping gfp GFP_HIGHUSER), v7.2',
  decide: ({ p, s, op, map }): Decision => {
    const nodes = Array.from({ length: Math.max(p.numaNodes, 1) }, (_, n) => n);
    const present: Value[] = op.move && p.numaNodes <= 1 ? [op.node] : nodes;
    let around = false;
    const perPage: Value[][] = [];
    for (let i = 0; i < op.pages; i++) {
      const off = op.offset + BigInt(i) * 4096n;
      if (off < 0n || off >= BigInt(map.pages) * 4096n) { perPage.push(['EFAULT']); continue; }
      const mp = Number(off >> 12n);
      const mapped = imGet(map.ptes, mp) !== undefined || imGet(map.cow, mp) !== undefined;
      const maybe = !mapped && maybeMapped(map, mp);
      around ||= maybe;
      perPage.push(mapped ? present : maybe ? ['ENOENT', ...present] : ['ENOENT']);
    }
    let all: Value[][] = [[]];
    for (const opts of perPage) all = all.flatMap((pre) => opts.map((o) => [...pre, o]));
    const notMoved: (number | undefined)[] = op.move && p.numaNodes > 1 ? [undefined, ...Array.from({ length: op.pages }, (_, k) => k + 1)] : [undefined];
    const outs = all.flatMap((status) => notMoved.map((n) => ok(n === undefined ? { status } : { status, notMoved: n })));
    const also = [...(around ? [genFaultAround] : []), ...(op.move && p.numaNodes > 1 ? [map12] : [])];
    if (outs.length === 1) return only(s, outs[0]!, also);
    return { ...cases(outs.map((o) => [o, () => s] as const), 'POL-20: a page an earlier read fault may have mapped around is present or not (GEN-FAULT-AROUND); on more than one node placement (POL-5) and the migration of gmem folios (MAP-12) are not modelled'), also };
  },
});

/** MOVE_ALL needs CAP_SYS_NICE, which the spec does not know the caller to have: EPERM, or as with MOVE. */
export const pol20Perm = rule<Ctx<'movePages'>>({
  id: 'POL-20',
  cite: 'POL-20; mm/migrate.c kernel_move_pages ((flags & MPOL_MF_MOVE_ALL) && !capable(CAP_SYS_NICE) → EPERM), v7.2',
  decide: ({ s }) => only(s, err('EPERM')),
});

const movePages = (p: Profile, s: SpecState, o: OpOf<'movePages'>): Verdict<SpecState> => {
  const full = onMap({ p, s, op: o }, [movePagesDead, pol20Args], o.map, [pol20]);
  const perm = s.maps.has(o.map) && (o.flags & ~(MPOL_MF.MOVE | MPOL_MF.MOVE_ALL)) === 0 && (o.flags & MPOL_MF.MOVE_ALL) !== 0;
  return perm ? eitherVerdict(must({ p, s, op: o }, [pol20Perm]), full, 'MOVE_ALL: whether the caller has CAP_SYS_NICE') : full;
};

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  getMempolicyFlags,
  numaMaps: (p, s, o: OpOf<'numaMaps'>) => onMap({ p, s, op: o }, [numaMapsDead, numaMapsOutside], o.map, [pol24]),
  movePages,
} satisfies Steps;
