/**
 * setVmaName: prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME). The emulator models a kernel built with
 * CONFIG_ANON_VMA_NAME (the native host lacks it and answers EINVAL to everything, so the two
 * targets cover both builds). Order (kernel/sys.c, mm/madvise.c, v7.2): the name is copied and
 * checked first (too long or a refused character: EINVAL), then the start's alignment, the
 * length's rounding and wrap, an empty range (0), then the VMA walk: every mapping here maps a
 * file that is not anonymous shmem, so the first VMA met answers EBADF; none met: ENOMEM.
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { aligned, asU64, P } from '../i64.js';

export const setVmaName = (k: Kernel, op: OpOf<'setVmaName'>): Outcome => {
  // Dead map: not issued; EFAULT before anything else (spec/vocab/CONVENTIONS.md).
  const m = k.liveMap(op.map);
  if (!m) return err('EFAULT');
  if (op.name === 'badChar' || op.name === 'tooLong') return err('EINVAL');
  const start = asU64(op.offset);
  if (!aligned(start)) return err('EINVAL');
  const len = asU64(op.length);
  const rounded = asU64(len + P - 1n) & ~(P - 1n);
  if (len !== 0n && rounded === 0n) return err('EINVAL');
  if (start + rounded >= 1n << 64n) return err('EINVAL');
  if (rounded === 0n) return ok();
  if (start / P >= BigInt(m.npages)) return err('ENOMEM');
  // Bug: a gmem VMA takes the name as if it were anonymous memory.
  if (m.inode.kind === 'gmem' && k.bug('gmem-vma-named')) return ok();
  return err('EBADF');
};
