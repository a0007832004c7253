/**
 * Generic mempolicy validation (POL-4; mm/mempolicy.c sanitize_mpol_flags, mpol_new,
 * mpol_set_nodemask) and the policy value get_mempolicy reports. A node mask is the one 64-bit
 * word the targets pass (maxnode 64), a bigint end to end: get_nodes reads maxnode - 1 = 63 bits
 * of it, so bit 63 never reaches the kernel (GEN-MPOL-MAXNODE). The online nodes come from the
 * profile (ENV-2: one node on the target).
 */
import { MPOL, type Profile } from '../vocab/index.js';
import type { Policy } from '../state/types.js';

export const MPOL_F_STATIC_NODES = 1 << 15;
export const MPOL_F_RELATIVE_NODES = 1 << 14;
export const MPOL_F_NUMA_BALANCING = 1 << 13;
const MODE_FLAGS = MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES | MPOL_F_NUMA_BALANCING;
const MPOL_MAX = 7;

/** A validated policy: null means MPOL_DEFAULT (no policy), or the errno. */
export type Validated = { readonly ok: true; readonly pol: Policy | null } | { readonly ok: false };

const lowestBit = (m: bigint): bigint => m & -m;

/** sanitize_mpol_flags: a known mode, and a consistent set of mode flags. */
export const sanitizeMode = (modeArg: number): boolean => {
  const flags = modeArg & MODE_FLAGS;
  const mode = modeArg & ~MODE_FLAGS;
  if (mode < 0 || mode >= MPOL_MAX) return false;
  if ((flags & MPOL_F_STATIC_NODES) !== 0 && (flags & MPOL_F_RELATIVE_NODES) !== 0) return false;
  return (flags & MPOL_F_NUMA_BALANCING) === 0 || mode === MPOL.BIND || mode === MPOL.PREFERRED_MANY;
};

/** get_nodes with maxnode 64: the word's low 63 bits (mm/mempolicy.c get_nodes: --maxnode). */
export const nodesRead = (word: bigint): bigint => word & ((1n << 63n) - 1n);

/** kernel_mbind stores mbind's unsigned long mode in an int: bits 32..63 are dropped, bit 31 makes it negative (POL-21). */
export const mbindMode = (mode: bigint): number => Number(BigInt.asIntN(32, mode));

export const validatePolicy = (p: Profile, modeArg: number, word: bigint): Validated => {
  const nodes = nodesRead(word);
  const flags = modeArg & MODE_FLAGS;
  const mode = modeArg & ~MODE_FLAGS;
  const bad: Validated = { ok: false };
  if (!sanitizeMode(modeArg)) return bad;
  const userFlags = (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) !== 0;
  // mpol_new
  if (mode === MPOL.DEFAULT) return nodes !== 0n ? bad : { ok: true, pol: null };
  if (mode === MPOL.LOCAL || (mode === MPOL.PREFERRED && nodes === 0n)) {
    if (userFlags || (mode === MPOL.LOCAL && nodes !== 0n)) return bad;
    return { ok: true, pol: { mode: MPOL.LOCAL | flags, nodes: 0n } };
  }
  if (nodes === 0n) return bad;
  // mpol_set_nodemask: intersect with the online nodes (relative masks are remapped onto them).
  const online = (1n << BigInt(Math.min(p.numaNodes, 63))) - 1n;
  const eff = (flags & MPOL_F_RELATIVE_NODES) !== 0 ? online & (nodes | online) : nodes & online;
  if (eff === 0n) return bad;
  // get_mempolicy reports the user's mask for STATIC/RELATIVE, else the effective one; PREFERRED keeps its first node.
  const shown = userFlags ? nodes : mode === MPOL.PREFERRED ? lowestBit(eff) : eff;
  return { ok: true, pol: { mode: mode | flags, nodes: shown } };
};

export const DEFAULT_REPORT = { mode: MPOL.DEFAULT, nodes: 0n } as const;
