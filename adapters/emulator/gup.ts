/**
 * How the kernel reaches one page of a mapping on behalf of a syscall. `gup` (get_user_pages): the
 * VMA must allow the access (no FOLL_FORCE) and NO_DIRECT_MAP mappings are refused (DMAP-5).
 * `force` (FOLL_FORCE, /proc/self/mem): reads need nothing, a write without VM_WRITE only breaks
 * COW (a private mapping). `copy` (a user copy through the page tables): a user access's
 * permissions, and NO_DIRECT_MAP is no obstacle (DMAP-20). For all three a fault that would SIGBUS
 * fails (MAP-9), and so does one that would raise a userfault (contexts are user-mode only).
 */
import { PROT, UFFD_FEATURE, UFFD_MODE } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import { pageProt } from './prot.js';
import type { Folio, Mapping } from './state.js';
import { hostFault } from './fault.js';
import { filePages, grab, makeUptodate, noDirectMap } from './pagecache.js';

export type Reach = 'gup' | 'force' | 'copy';

export const reachPage = (k: Kernel, m: Mapping, mp: number, write: boolean, reach: Reach, privateOk = false): Folio | null => {
  if (mp >= m.npages) return null;
  const gmem = m.inode.kind === 'gmem';
  // Bug: FOLL_FORCE writes through a read-only shared mapping as if it were a COW one.
  const forceAny = reach === 'force' && gmem && k.bug('proc-mem-force-write-shared');
  const prot = pageProt(m, mp);
  const allowed = reach === 'force' ? !write || (prot & PROT.WRITE) !== 0 || !m.shared || forceAny : (prot & (write ? PROT.WRITE : PROT.READ)) !== 0;
  if (!allowed) return null;
  if (reach !== 'copy' && noDirectMap(k, m.inode)) return null;
  // Bug: NO_DIRECT_MAP marks the VMA VM_IO, so user copies fail too (DMAP-20).
  if (reach === 'copy' && k.bug('ndm-blocks-user-copy') && noDirectMap(k, m.inode)) return null;
  // Contexts are UFFD_USER_MODE_ONLY: a kernel-mode fault that would userfault gets VM_FAULT_SIGBUS,
  // which GUP reports as EFAULT (spec/README.md "Userfaults").
  // UFD-20: a write meets a uffd-wp page: a WP_ASYNC context lets it through and drops the bit; any
  // other needs a userfault this context cannot raise in kernel mode (EFAULT). The page is left
  // as it was (the spec does not follow the fault-in the kernel does before it).
  const reg = write ? m.uffd.get(mp) : undefined;
  const wp = reg !== undefined && m.wp.has(mp) && (reg.mode & UFFD_MODE.WP) !== 0n;
  if (wp && (reg.ctx.features & UFFD_FEATURE.WP_ASYNC) === 0n) return null;
  const r = hostFault(k, m, mp, write, true);
  if (r.kind === 'mapped' && wp) m.wp.delete(mp, mp + 1);
  if (r.kind === 'mapped') return r.folio;
  if (r.kind === 'userfault' || r.kind === 'segv') return null;
  const page = m.pgoff + mp;
  if (reach !== 'copy' && (privateOk || k.bug('gup-private-ok')) && gmem && page < filePages(m.inode)) {
    // Bug (gup-private-ok, or a caller's own bug): GUP takes the page-cache folio without the
    // fault handler's shareability check.
    const f = grab(k, m.inode, page);
    makeUptodate(f);
    return f;
  }
  return null;
};

/** get_user_pages on one page (MADV_POPULATE_*, get_mempolicy's node lookup). */
export const gupPage = (k: Kernel, m: Mapping, mp: number, write: boolean): Folio | null => reachPage(k, m, mp, write, 'gup');
