/**
 * Generic mempolicy validation (POL-4; mm/mempolicy.c sanitize_mpol_flags, mpol_new,
 * mpol_set_nodemask) and the policy value get_mempolicy reports. Node masks are numbers (nodes
 * 0..30). The online nodes come from the profile (ENV-2: one node on the target).
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

const lowestBit = (m: number): number => m & -m;

/** sanitize_mpol_flags: a known mode, and a consistent set of mode flags. */
export const sanitizeMode = (modeArg: number): boolean => {
  const flags = modeArg & MODE_FLAGS;
  const mode = modeArg & ~MODE_FLAGS;
  if (mode < 0 || mode >= MPOL_MAX) return false;
  if ((flags & MPOL_F_STATIC_NODES) !== 0 && (flags & MPOL_F_RELATIVE_NODES) !== 0) return false;
  return (flags & MPOL_F_NUMA_BALANCING) === 0 || mode === MPOL.BIND || mode === MPOL.PREFERRED_MANY;
};

export const validatePolicy = (p: Profile, modeArg: number, nodes: number): Validated => {
  const flags = modeArg & MODE_FLAGS;
  const mode = modeArg & ~MODE_FLAGS;
  const bad: Validated = { ok: false };
  if (!sanitizeMode(modeArg)) return bad;
  const userFlags = (flags & (MPOL_F_STATIC_NODES | MPOL_F_RELATIVE_NODES)) !== 0;
  // mpol_new
  if (mode === MPOL.DEFAULT) return nodes !== 0 ? bad : { ok: true, pol: null };
  if (mode === MPOL.LOCAL || (mode === MPOL.PREFERRED && nodes === 0)) {
    if (userFlags || (mode === MPOL.LOCAL && nodes !== 0)) return bad;
    return { ok: true, pol: { mode: MPOL.LOCAL | flags, nodes: 0 } };
  }
  if (nodes === 0) return bad;
  // mpol_set_nodemask: intersect with the online nodes (relative masks are remapped onto them).
  const online = p.numaNodes >= 31 ? 0x7fffffff : (1 << p.numaNodes) - 1;
  const eff = (flags & MPOL_F_RELATIVE_NODES) !== 0 ? online & (nodes | online) : nodes & online;
  if (eff === 0) return bad;
  // get_mempolicy reports the user's mask for STATIC/RELATIVE, else the effective one; PREFERRED keeps its first node.
  const shown = userFlags ? nodes : mode === MPOL.PREFERRED ? lowestBit(eff) : eff;
  return { ok: true, pol: { mode: mode | flags, nodes: shown } };
};

export const DEFAULT_REPORT = { mode: MPOL.DEFAULT, nodes: 0 } as const;
