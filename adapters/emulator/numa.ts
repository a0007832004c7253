/**
 * NUMA policy objects: validation as mm/mempolicy.c does it (sanitize_mpol_flags, mpol_new,
 * mpol_set_nodemask), which policy places a new folio (POL-5), and which node it lands on.
 */
import { MPOL } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import type { Inode, Policy } from './state.js';

const F_STATIC = 1 << 15;
const F_RELATIVE = 1 << 14;
const F_NUMA_BALANCING = 1 << 13;
const MODE_FLAGS = F_STATIC | F_RELATIVE | F_NUMA_BALANCING;
const MPOL_MAX = 7;

/**
 * sanitize_mpol_flags (kernel_mbind / kernel_set_mempolicy run it first): the mode without its
 * flags must be < MPOL_MAX, STATIC and RELATIVE exclude each other, NUMA_BALANCING only with
 * BIND / PREFERRED_MANY. `mode` is the C int the kernel works with. Returns false for EINVAL.
 */
export const modeValid = (mode: number): boolean => {
  const flags = mode & MODE_FLAGS;
  const base = mode & ~MODE_FLAGS;
  if (base < 0 || base >= MPOL_MAX) return false;
  if ((flags & F_STATIC) && (flags & F_RELATIVE)) return false;
  return !((flags & F_NUMA_BALANCING) && base !== MPOL.BIND && base !== MPOL.PREFERRED_MANY);
};

/** mbind's mode is an unsigned long; kernel_mbind keeps it in an int (the low 32 bits, signed). */
export const mbindMode = (mode: bigint): number => Number(BigInt.asIntN(32, mode));

/**
 * get_nodes with maxnode 64 (what every target passes): it decrements maxnode first and reads
 * 63 bits, so bit 63 of the one mask word never reaches the policy.
 */
export const readNodes = (word: bigint): bigint => word & ((1n << 63n) - 1n);

/**
 * mpol_new + mpol_set_nodemask for a mode and the user's mask word, or 'EINVAL'. null =
 * MPOL_DEFAULT (no policy). The mask intersected with the online nodes must stay non-empty (POL-4:
 * BIND {1} on one node → EINVAL, {0,1} → {0}).
 */
export const makePolicy = (k: Kernel, rawMode: number, word: bigint): Policy | null | 'EINVAL' => {
  if (!modeValid(rawMode)) return 'EINVAL';
  const nodes = readNodes(word);
  const flags = rawMode & MODE_FLAGS;
  let mode = rawMode & ~MODE_FLAGS;
  const empty = nodes === 0n;
  if (mode === MPOL.DEFAULT) return empty ? null : 'EINVAL';
  if (mode === MPOL.PREFERRED && empty) {
    if (flags & (F_STATIC | F_RELATIVE)) return 'EINVAL';
    mode = MPOL.LOCAL;
  } else if (mode === MPOL.LOCAL) {
    if (!empty || (flags & (F_STATIC | F_RELATIVE))) return 'EINVAL';
  } else if (empty) return 'EINVAL';
  if (mode === MPOL.LOCAL) return { mode, flags, nodes: 0n, userNodes: 0n };
  const online = onlineMask(k);
  const eff = relativeOrMasked(nodes, online, flags);
  if (eff === 0n) return 'EINVAL';
  const effective = mode === MPOL.PREFERRED ? eff & -eff : eff;
  return { mode, flags, nodes: effective, userNodes: flags & (F_STATIC | F_RELATIVE) ? nodes : effective };
};

const onlineMask = (k: Kernel): bigint => (1n << BigInt(Math.min(k.profile.numaNodes, 64))) - 1n;

const relativeOrMasked = (nodes: bigint, online: bigint, flags: number): bigint => {
  if (!(flags & F_RELATIVE)) return nodes & online;
  // mpol_relative_nodemask: bit n of the user mask selects the n-th allowed node (folded).
  const allowed = bits(online);
  let out = 0n;
  for (const n of bits(nodes)) out |= 1n << BigInt(allowed[n % allowed.length]!);
  return out;
};

/** The node numbers set in a mask word. */
export const bits = (mask: bigint): number[] => {
  const out: number[] = [];
  for (let n = 0; n < 64; n += 1) if ((mask >> BigInt(n)) & 1n) out.push(n);
  return out;
};

/** The policy an allocation at `page` of `inode` follows (POL-5): shared policy, else the task's. */
export const allocPolicy = (k: Kernel, inode: Inode, page: number): Policy | null =>
  (usesSharedPolicy(k, inode) ? inode.sharedPolicy.get(page) : undefined) ?? k.taskPolicy;

/** shmem always; gmem only with P-POL-SCOPE=INODE (≥6.19). On 6.18 gmem has no policy hooks (POL-1′). */
export const usesSharedPolicy = (k: Kernel, inode: Inode): boolean =>
  inode.kind === 'memfd' || k.profile.variants.polScope === 'INODE';

/** [a, b) cut where the allocation policy changes. */
export const policyPieces = (k: Kernel, inode: Inode, a: number, b: number): Array<readonly [number, number, Policy | null]> => {
  if (!usesSharedPolicy(k, inode)) return [[a, b, k.taskPolicy]];
  const out: Array<readonly [number, number, Policy | null]> = [];
  let at = a;
  for (const [x, y, pol] of inode.sharedPolicy.overlaps(a, b)) {
    if (x > at) out.push([at, x, k.taskPolicy]);
    out.push([x, y, pol]);
    at = y;
  }
  if (at < b) out.push([at, b, k.taskPolicy]);
  return out;
};

/** The node a new folio gets. Choices among legal nodes come from the instance RNG. */
export const nodeFor = (k: Kernel, pol: Policy | null, inode: Inode, page: number): number => {
  if (k.profile.numaNodes <= 1 || pol === null || pol.mode === MPOL.LOCAL) return 0;
  const ns = bits(pol.nodes);
  if (ns.length === 0) return 0;
  if (pol.mode === MPOL.PREFERRED) return ns[0]!;
  if (pol.mode === MPOL.INTERLEAVE || pol.mode === MPOL.WEIGHTED_INTERLEAVE) {
    if (pol !== k.taskPolicy) {
      // Shared-policy interleave index (POL-7): PGOFF counts the page offset twice, INODE uses i_ino.
      const ilx = k.profile.variants.ilx === 'INODE' || inode.kind === 'memfd' ? inode.ino + page : 2 * page;
      return ns[ilx % ns.length]!;
    }
    k.ilPrev = (k.ilPrev + 1) % ns.length;
    return ns[k.ilPrev]!;
  }
  return ns[Math.floor(k.rng() * ns.length)]!;
};

/** What get_mempolicy(MPOL_F_ADDR) reports for a policy (do_get_mempolicy). */
export const reportPolicy = (pol: Policy | null): { mode: number; nodes: bigint } =>
  pol === null ? { mode: 0, nodes: 0n } : { mode: pol.mode | pol.flags, nodes: pol.mode === MPOL.LOCAL ? 0n : pol.userNodes };
