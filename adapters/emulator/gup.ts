/**
 * get_user_pages on one page of a mapping: the VMA must allow the access (no FOLL_FORCE),
 * NO_DIRECT_MAP mappings are refused (DMAP-5), and a fault that would SIGBUS becomes EFAULT (MAP-9).
 * A fault that would raise a userfault fails too (user-mode-only uffd contexts).
 */
import { PROT } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import type { Folio, Mapping } from './state.js';
import { hostFault } from './fault.js';
import { filePages, grab, makeUptodate, noDirectMap } from './pagecache.js';

export const gupPage = (k: Kernel, m: Mapping, mp: number, write: boolean): Folio | null => {
  if (mp >= m.npages || !(m.prot & (write ? PROT.WRITE : PROT.READ))) return null;
  if (noDirectMap(k, m.inode)) return null;
  // Contexts are UFFD_USER_MODE_ONLY: a kernel-mode fault that would userfault gets VM_FAULT_SIGBUS,
  // which GUP reports as EFAULT (spec/README.md "Userfaults").
  const r = hostFault(k, m, mp, write, true);
  if (r.kind === 'mapped') return r.folio;
  if (r.kind === 'userfault') return null;
  const page = m.pgoff + mp;
  if (k.bug('gup-private-ok') && m.inode.kind === 'gmem' && page < filePages(m.inode)) {
    // Bug: GUP takes the page-cache folio without the fault handler's shareability check.
    const f = grab(k, m.inode, page);
    makeUptodate(f);
    return f;
  }
  return null;
};
