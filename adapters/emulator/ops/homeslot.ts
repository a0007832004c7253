/**
 * set_mempolicy_home_node (POL-23) and KVM_SET_USER_MEMORY_REGION2 with pads (SLOT-20), as the
 * modelled kernel does them. The home node is kept on the VMA's policy object (and, through the
 * file's set_policy, on the shared policy), where mpol_equal sees it: it splits VMAs.
 */
import { MPOL, err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { asU64, P } from '../i64.js';
import { usesSharedPolicy } from '../numa.js';
import type { Mapping, Policy } from '../state.js';
import { policyEq } from '../state.js';
import { vmaAfterMerge } from './mempolicy.js';
import { setMemoryRegion } from './memslot.js';

/**
 * The address the model gives a mapping when a range's placement matters (the emulator has no
 * address space): start = this + offset as an unsigned long, as the kernel computes it.
 */
const MODEL_BASE = 1n << 40n;
const MODE_FLAGS = 7 << 13;

export const setMempolicyHomeNode = (k: Kernel, op: OpOf<'setMempolicyHomeNode'>): Outcome => {
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT'); // a dead map handle: not issued (spec/vocab/CONVENTIONS.md)
  const start = asU64(MODEL_BASE + op.offset);
  if (start % P !== 0n) return err('EINVAL');
  if (op.flags !== 0n && !(m.inode.kind === 'gmem' && k.bug('home-node-flags-ignored'))) return err('EINVAL');
  // home_node >= MAX_NUMNODES || !node_online(home_node): only nodes below numaNodes are online.
  if (op.node >= BigInt(k.profile.numaNodes)) return err('EINVAL');
  const len = asU64(asU64(op.length) + P - 1n) & ~(P - 1n);
  if (start + len >= 1n << 64n) return err('EINVAL');
  if (len === 0n) return ok();
  // The mapping's pages in [start, start + len); everything else in the range is hole here.
  const lo = start <= MODEL_BASE ? 0 : Math.min(m.npages, Number((start - MODEL_BASE) / P));
  const end = start + len;
  const hi = end <= MODEL_BASE ? 0 : Math.min(m.npages, Number((end - MODEL_BASE) / P));
  return walk(k, m, lo, hi, Number(op.node));
};

/** The VMA walk: err starts as ENOENT; VMAs without their own policy are skipped. */
const walk = (k: Kernel, m: Mapping, lo: number, hi: number, node: number): Outcome => {
  let result: Outcome = err('ENOENT');
  // The inode's shared policy stands in for a missing VMA policy: what a kernel reading
  // get_vma_policy() instead of vma_policy() would do (a zoo bug).
  const shared = usesSharedPolicy(k, m.inode);
  const own = (a: number, b: number): Array<readonly [number, number, Policy]> =>
    m.inode.kind === 'gmem' && shared && k.bug('home-node-shared-policy')
      ? m.inode.sharedPolicy.overlaps(m.pgoff + a, m.pgoff + b).map(([x, y, v]) => [x - m.pgoff, y - m.pgoff, v] as const)
      : m.vmaPolicy.overlaps(a, b);
  for (const [a, b, pol] of own(lo, hi)) {
    const base = pol.mode & ~MODE_FLAGS;
    const allowed = base === MPOL.BIND || base === MPOL.PREFERRED_MANY || (m.inode.kind === 'gmem' && k.bug('home-node-any-mode'));
    if (!allowed) return err('EOPNOTSUPP');
    result = ok();
    const next: Policy = { ...pol, home: node };
    if (policyEq(pol, next)) continue;
    const [s, e] = vmaAfterMerge(m, Math.max(a, lo), Math.min(b, hi), next);
    if (shared) m.inode.sharedPolicy.set(m.pgoff + s, m.pgoff + e, next);
    m.vmaPolicy.set(s, e, next);
  }
  return result;
};

/** SLOT-20: the pads are copied in with the struct and never read. */
export const setMemoryRegionPad = (k: Kernel, op: OpOf<'setMemoryRegionPad'>): Outcome => {
  // The zoo's bug refuses pads only on a slot naming a guest_memfd (bugs act on gmem files only).
  const gmemSlot = k.liveVm(op.vm) !== undefined && op.gmem.kind === 'fd' && k.fds.get(op.gmem.fd)?.inode.kind === 'gmem';
  if (gmemSlot && (op.pad1 !== 0 || op.pad2.some((w) => w !== 0n)) && k.bug('memslot-pad-rejected')) return err('EINVAL');
  return setMemoryRegion(k, {
    kind: 'setMemoryRegion', vm: op.vm, v1: false, slot: op.slot, flags: op.flags, gpa: op.gpa, size: op.size, uaddr: op.uaddr, gmem: op.gmem, gmemOffset: op.gmemOffset,
  });
};
