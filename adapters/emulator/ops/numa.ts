/**
 * get_mempolicy with its whole flags word (POL-22) and the numa_maps line of a VMA (POL-24), as
 * the modelled kernel answers them. The flags word is checked whole, as an unsigned long, before
 * the address; numa_maps reads the policy at the VMA's first page (the file's shared policy where
 * the file has policy hooks, else the VMA's own, else the task's) and counts the pages the VMA
 * maps from the emulated page tables.
 */
import { MPOL, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Policy } from '../state.js';
import { bits, usesSharedPolicy } from '../numa.js';
import { getMempolicy } from './mempolicy.js';
import { fileName, vmaOf } from './observe.js';

const NODE = 1n;
const ADDR = 2n;
const MEMS_ALLOWED = 4n;

export const getMempolicyFlags = (k: Kernel, op: OpOf<'getMempolicyFlags'>): Outcome => {
  // Dead map: not issued; EFAULT (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  // Bug: the flags word checked as a C int, so bits 32..63 vanish before the check.
  const f = m.inode.kind === 'gmem' && k.bug('mempolicy-flags-int') ? op.flags & 0xffffffffn : op.flags;
  if (f & ~(NODE | ADDR | MEMS_ALLOWED)) return err('EINVAL');
  if (f & MEMS_ALLOWED) return f & (NODE | ADDR) ? err('EINVAL') : ok({ mode: 0, nodes: (1n << BigInt(Math.min(k.profile.numaNodes, 63))) - 1n });
  if (!(f & ADDR)) return err('EINVAL');
  return getMempolicy(k, { kind: 'getMempolicy', map: op.map, offset: op.offset, query: f & NODE ? 'ADDR_NODE' : 'ADDR' });
};

const NAMES: Readonly<Record<number, string>> = {
  [MPOL.PREFERRED]: 'prefer', [MPOL.BIND]: 'bind', [MPOL.INTERLEAVE]: 'interleave', [MPOL.LOCAL]: 'local',
  [MPOL.PREFERRED_MANY]: 'prefer (many)', [MPOL.WEIGHTED_INTERLEAVE]: 'weighted interleave',
};

/** The node list as %*pbl prints it: "0", "0-3,6". */
const ranges = (mask: bigint): string => {
  const ns = bits(mask);
  const out: string[] = [];
  for (let i = 0; i < ns.length; i++) {
    let j = i;
    while (j + 1 < ns.length && ns[j + 1] === ns[j]! + 1) j++;
    out.push(i === j ? `${ns[i]}` : `${ns[i]}-${ns[j]}`);
    i = j;
  }
  return out.join(',');
};

/** mpol_to_str of one policy object (its effective nodes), "default" for none. */
const text = (pol: Policy | null): string => {
  if (pol === null) return 'default';
  if (pol.mode === MPOL.LOCAL) return 'local';
  const tags = [(pol.flags & (1 << 15)) ? 'static' : (pol.flags & (1 << 14)) ? 'relative' : '', (pol.flags & (1 << 13)) ? 'balancing' : ''].filter(Boolean);
  return `${NAMES[pol.mode]}${tags.length ? `=${tags.join('|')}` : ''}${pol.nodes ? `:${ranges(pol.nodes)}` : ''}`;
};

export const numaMaps = (k: Kernel, op: OpOf<'numaMaps'>): Outcome => {
  const m = k.liveMap(op.map);
  if (m === undefined) return err('EFAULT');
  if (op.offset < 0n || op.offset >= BigInt(m.npages) * 4096n) return ok(null);
  const [lo, hi] = vmaOf(m, Number(op.offset >> 12n));
  const gmem = m.inode.kind === 'gmem';
  // Bug: numa_maps reads vma->vm_policy even where the file keeps a shared policy.
  const shared = usesSharedPolicy(k, m.inode) && !(gmem && k.bug('numa-maps-vma-policy'));
  const own = shared ? m.inode.sharedPolicy.get(m.pgoff + lo) : m.vmaPolicy.get(lo);
  let pages = 0;
  let anon = 0;
  let n0 = 0;
  // The mapped pages only: a mapping may span 2^28 pages, walking them all would stall.
  const seen = new Set<number>();
  for (const page of [...m.anon.keys(), ...m.ptes.keys()]) {
    if (page - m.pgoff < lo || page - m.pgoff >= hi || seen.has(page)) continue;
    seen.add(page);
    const copy = m.anon.get(page);
    const folio = copy ?? m.ptes.get(page)!;
    pages += 1;
    // Bug: a gmem folio counted by anon= (PageAnon tested on the mapping's flags, not the folio).
    if (copy !== undefined || (gmem && k.bug('numa-maps-gmem-anon'))) anon += 1;
    if (folio.node === 0) n0 += 1;
  }
  const file = fileName(k, m.inode.kind).replace(/[\n\t= ]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  return ok({ start: BigInt(lo) * 4096n, policy: text(own ?? k.taskPolicy), file, pages, anon, n0 });
};

const MF_MOVE = 2;
const MF_MOVE_ALL = 4;

/**
 * move_pages of `pages` pages from a map offset: each page outside the mapping has no VMA
 * (EFAULT), an unmapped one no folio (ENOENT), a mapped one reports its folio's node. Moving: the
 * node must have memory (ENODEV); a folio already on it stays, status = the node; a gmem folio on
 * another node cannot be migrated (its mapping refuses, MAP-12) and stays where it is.
 */
export const movePages = (k: Kernel, op: OpOf<'movePages'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (op.flags & ~(MF_MOVE | MF_MOVE_ALL)) return err('EINVAL');
  // The emulated caller is root: CAP_SYS_NICE, MOVE_ALL allowed.
  if (op.pages === 0) return ok({ status: [] });
  if (op.move && (op.node < 0 || op.node >= k.profile.numaNodes)) return err('ENODEV');
  const status: (number | string)[] = [];
  let notMoved = 0;
  for (let i = 0; i < op.pages; i++) {
    const off = op.offset + BigInt(i) * 4096n;
    if (off < 0n || off >= BigInt(m.npages) * 4096n) { status.push('EFAULT'); continue; }
    const page = m.pgoff + Number(off >> 12n);
    const folio = m.anon.get(page) ?? m.ptes.get(page);
    if (folio === undefined) { status.push('ENOENT'); continue; }
    // Bug: the query reports a gmem page as not present (folio_walk_start skips the special mapping).
    if (!op.move && m.inode.kind === 'gmem' && k.bug('move-pages-gmem-enoent')) { status.push('ENOENT'); continue; }
    if (op.move && folio.node !== op.node) {
      notMoved += 1;
      status.push(folio.node);
      continue;
    }
    status.push(op.move ? op.node : folio.node);
  }
  // Bug: the move path counts a folio already on its node as not migrated.
  const already = op.move && m.inode.kind === 'gmem' && k.bug('move-pages-count-already') ? status.filter((x) => x === op.node).length : 0;
  return ok(notMoved + already > 0 ? { status, notMoved: notMoved + already } : { status });
};
