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
  // Runs, not pages: a mapping may span terabytes.
  const stop = firstRefusal(t.m, t.s, t.e);
  if (stop !== null && stop.at === t.s) return err(stop.errno);
  t.m.poison.set(t.s, stop?.at ?? t.e, true);
  if (stop !== null) return err('EAGAIN');
  return ok({ count: Number(BigInt(t.e - t.s) * P) });
};

/** Bug poison-gmem-accepted: a registered gmem VMA (6.18: WP_ASYNC only) is taken as if it had fill operations. */
const gmemAccepted = (k: Kernel, m: Mapping): boolean => m.inode.kind === 'gmem' && !k.profile.features.uffd && k.bug('poison-gmem-accepted');

/** The first page of [s, e) that refuses a marker: past EOF (mfill_file_over_size, checked first at a page), or a PTE that is not none. */
const firstRefusal = (m: Mapping, s: number, e: number): { readonly at: number; readonly errno: 'EFAULT' | 'EEXIST' } | null => {
  let at = e;
  const near = (p: number): void => { if (p >= s && p < at) at = p; };
  for (const page of m.ptes.keys()) near(page - m.pgoff);
  for (const page of m.anon.keys()) near(page - m.pgoff);
  for (const rm of [m.guard, m.wp, m.poison]) {
    const first = rm.overlaps(s, e)[0];
    if (first) near(Math.max(first[0], s));
  }
  const eof = filePages(m.inode) - m.pgoff;
  if (eof < e && Math.max(s, eof) <= at) return { at: Math.max(s, eof), errno: 'EFAULT' };
  return at < e ? { at, errno: 'EEXIST' } : null;
};
