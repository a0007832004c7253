/**
 * UFFDIO_POISON (UFD-22): the range and mode checks, then mfill_atomic's VMA checks (one
 * registered VMA, a file that has fill operations), then page by page: past EOF → EFAULT, any PTE
 * that is not none (a mapped page, a private copy, a guard, uffd-wp or poison marker) → EEXIST,
 * else a poison marker. A prefix done before a failing page is EAGAIN.
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Mapping } from '../state.js';
import { P } from '../i64.js';
import { filePages } from '../pagecache.js';
import { pageRange, resolveTarget } from './uffd.js';

const MODE_DONTWAKE = 1n;

export const uffdPoison = (k: Kernel, op: OpOf<'uffdPoison'>): Outcome => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (!k.uffds.get(op.uffd)) return err('EBADF');
  const r = pageRange(op.offset, op.length);
  if (r === 'EINVAL') return err('EINVAL');
  // The mode is checked after validate_range, before any VMA is looked up.
  if ((op.mode & ~MODE_DONTWAKE) !== 0n && !(m.inode.kind === 'gmem' && k.bug('poison-gmem-mode-unchecked'))) return err('EINVAL');
  const found = resolveTarget(k, op);
  const t = 'kind' in found && found.kind === 'errno' && found.errno === 'EINVAL' && gmemAccepted(k, m) ? { m, s: r.s, e: r.e } : found;
  if ('kind' in t) return t;
  for (let mp = t.s; mp < t.e; mp += 1) {
    const e = refuses(t.m, mp);
    if (e) return mp === t.s ? err(e) : err('EAGAIN');
    t.m.poison.set(mp, mp + 1, true);
  }
  return ok({ count: Number(BigInt(t.e - t.s) * P) });
};

/** Bug poison-gmem-accepted: a registered gmem VMA (6.18: WP_ASYNC only) is taken as if it had fill operations. */
const gmemAccepted = (k: Kernel, m: Mapping): boolean => m.inode.kind === 'gmem' && !k.profile.features.uffd && k.bug('poison-gmem-accepted');

/** Why page mp refuses a marker: past EOF (mfill_file_over_size, checked first), or its PTE is not none. */
const refuses = (m: Mapping, mp: number): 'EFAULT' | 'EEXIST' | null => {
  const page = m.pgoff + mp;
  if (page >= filePages(m.inode)) return 'EFAULT';
  if (m.ptes.has(page) || m.anon.has(page) || m.guard.has(mp) || m.wp.has(mp) || m.poison.has(mp)) return 'EEXIST';
  return null;
};
