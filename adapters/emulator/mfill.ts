/**
 * UFFDIO_COPY / CONTINUE / ZEROPAGE on one page of a registered VMA (mm/userfaultfd.c mfill_atomic
 * with shmem's or the gmem series' vm_uffd_ops; UFD-6..8).
 */
import type { Errno, UffdResolveHow } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import type { Folio, Mapping } from './state.js';
import { uffdPresent } from './fault.js';
import { dmapOnUse, filePages, grab, makeUptodate } from './pagecache.js';
import { hostShared } from './share.js';

/** What a resolve of one page will do, decided by the checks before anything changes. */
export type MfillPlan =
  | { readonly kind: 'error'; readonly errno: Errno }
  | { readonly kind: 'continue' }
  | { readonly kind: 'anon' }
  | { readonly kind: 'copy' };

export const mfillPlan = (k: Kernel, m: Mapping, mp: number, how: UffdResolveHow): MfillPlan => {
  const page = m.pgoff + mp;
  const inode = m.inode;
  const fail = (errno: Errno): MfillPlan => ({ kind: 'error', errno });
  // mfill_atomic_install_pte: a PTE already there → EEXIST.
  if (m.ptes.has(page) || m.anon.has(page)) return fail('EEXIST');
  if (page >= filePages(inode)) {
    // gmem (UFD-6): P-UFFD-COPY-EOF for COPY / ZEROPAGE (alloc hook NULL → ENOMEM, or EFAULT);
    // CONTINUE finds no folio → EFAULT.
    if (inode.kind === 'gmem') return fail(how === 'CONTINUE' ? 'EFAULT' : k.profile.variants.uffdCopyEof);
    // shmem ≤ 7.1: COPY / ZEROPAGE stop at max_off (EFAULT); CONTINUE's SGP_NOALLOC lookup
    // refuses an index at or past EOF with EINVAL (mm/shmem.c shmem_get_folio_gfp). 7.2's
    // vm_uffd_ops: shmem's alloc_folio hook returns NULL past EOF (ENOMEM); CONTINUE turns any
    // failed lookup into EFAULT (mm/userfaultfd.c).
    if (k.profile.variants.shmemUffdEof === 'UFFD-OPS') return fail(how === 'CONTINUE' ? 'EFAULT' : 'ENOMEM');
    return fail(how === 'CONTINUE' ? 'EINVAL' : 'EFAULT');
  }
  // UFD-9 variant A: fills into private offsets are refused.
  if (inode.kind === 'gmem' && !hostShared(k, inode, page)) return fail('EINVAL');
  const isPresent = uffdPresent(k, m, page);
  if (how === 'CONTINUE') {
    // UFD-7: CONTINUE needs a folio in the page cache and never allocates.
    // P-MINOR-ZERO=MISSING: a gmem folio never made up to date does not count, as for MINOR faults.
    if (!isPresent && !(inode.kind === 'gmem' && k.bug('uffd-continue-allocates'))) return fail('EFAULT');
    return { kind: 'continue' };
  }
  // Private shmem VMA: COPY / ZEROPAGE fill an anonymous page.
  if (!m.shared) return { kind: 'anon' };
  // UFD-6: a folio already in the page cache → EEXIST.
  if (isPresent && !(inode.kind === 'gmem' && k.bug('uffd-copy-populated'))) return fail('EEXIST');
  return { kind: 'copy' };
};

/** The folio a COPY / ZEROPAGE fills, before it enters the page cache. */
export const filledFolio = (how: UffdResolveHow, fill: number, node: number): Folio =>
  ({ data: how === 'COPY' ? new Uint8Array(4096).fill(fill & 0xff) : null, uptodate: true, node, dmapRemoved: false });

export const mfillPage = (k: Kernel, m: Mapping, mp: number, how: UffdResolveHow, fill: number): Errno | null => {
  const page = m.pgoff + mp;
  const plan = mfillPlan(k, m, mp, how);
  // Every fill installs a fresh PTE without the uffd-wp bit (no UFFDIO_COPY_MODE_WP here).
  if (plan.kind !== 'error') m.wp.delete(mp, mp + 1);
  // ... and over a poison marker (pte_is_uffd_marker: a uffd marker may be replaced).
  if (plan.kind !== 'error') m.poison.delete(mp, mp + 1);
  switch (plan.kind) {
    case 'error': return plan.errno;
    case 'continue': {
      const folio = grab(k, m.inode, page);
      makeUptodate(folio);
      return install(k, m, page, folio);
    }
    case 'anon':
      m.anon.set(page, filledFolio(how, fill, 0));
      return null;
    case 'copy': {
      const folio = grab(k, m.inode, page);
      folio.data = how === 'COPY' ? new Uint8Array(4096).fill(fill & 0xff) : null;
      folio.uptodate = true;
      return install(k, m, page, folio);
    }
  }
};

export const install = (k: Kernel, m: Mapping, page: number, folio: Folio): null => {
  dmapOnUse(k, m.inode, folio);
  m.ptes.set(page, folio);
  return null;
};
