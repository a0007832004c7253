/**
 * The host page-fault path through one VMA: PTE hit, i_size check (MAP-4), shareability (MAP-5,
 * SHR-5), userfaultfd MISSING/MINOR interception (UFD-4/5, UFD-9) and finally finding or
 * allocating the folio, zeroing it if not up to date (FIO-11) and installing the PTE.
 */
import { UFFD_MODE } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import type { Folio, Mapping, UffdReg } from './state.js';
import { dmapOnUse, filePages, grab, makeUptodate } from './pagecache.js';
import { hostShared } from './share.js';

export type FaultResult =
  | { readonly kind: 'mapped'; readonly folio: Folio }
  | { readonly kind: 'sigbus' }
  /** A guard marker sits in the PTE: handle_pte_marker answers VM_FAULT_SIGSEGV. */
  | { readonly kind: 'segv' }
  /** A poison marker sits in the PTE: handle_pte_marker answers VM_FAULT_HWPOISON. */
  | { readonly kind: 'hwpoison' }
  | { readonly kind: 'userfault'; readonly minor: boolean; readonly reg: UffdReg };

/** Does the page count as present for uffd? P-MINOR-ZERO=MISSING: only up-to-date gmem folios do. */
export const uffdPresent = (k: Kernel, m: Mapping, page: number): boolean => {
  const inode = m.inode;
  if (inode.kind === 'gmem' && k.profile.variants.minorZero === 'MISSING') return inode.folios.get(page)?.uptodate ?? false;
  return inode.folios.has(page) || inode.alloc.has(page);
};

/** What a fault decides before it needs the folio: a result, or `fill` (find or allocate the folio, then map it). */
/** Zoo bugs that let a gmem fault past its guard marker (./bugs-guard.ts). */
const guardBypassed = (k: Kernel, m: Mapping, mp: number): boolean => {
  if (m.inode.kind !== 'gmem') return false;
  const page = m.pgoff + mp;
  if (k.bug('guard-install-keeps-pte') && m.ptes.has(page)) return true;
  return k.bug('guard-after-gmem-fault') && (page >= filePages(m.inode) || !hostShared(k, m.inode, page));
};

export type FaultPlan = FaultResult | { readonly kind: 'fill'; readonly page: number };

/** The checks of the fault path, in kernel order, up to finding the folio (the parallel engine locks around the rest). */
export const planFault = (k: Kernel, m: Mapping, mp: number, write: boolean, useUffd: boolean): FaultPlan => {
  const page = m.pgoff + mp;
  // A marker is a non-none PTE: the fault goes to do_swap_page's marker path, never to ->fault,
  // so EOF, shareability and uffd are not looked at.
  if (m.guard.has(mp) && !guardBypassed(k, m, mp)) return { kind: 'segv' };
  if (m.poison.has(mp)) return { kind: 'hwpoison' };
  const anon = m.anon.get(page);
  if (anon) return { kind: 'mapped', folio: anon };
  const pte = m.ptes.get(page);
  if (pte && (m.shared || !write)) return { kind: 'mapped', folio: pte };
  const inode = m.inode;
  if (page >= filePages(inode)) {
    if (!(k.bug('eof-fault-zero') && inode.kind === 'gmem')) return { kind: 'sigbus' };
    return { kind: 'mapped', folio: { data: null, uptodate: true, node: 0, dmapRemoved: false } };
  }
  // MISSING/MINOR userfaults come only from a missing PTE (the ->fault path). A write to a page
  // a private mapping already maps read-only is a COW (do_wp_page), never a userfault.
  const reg = useUffd && !pte ? m.uffd.get(mp) : undefined;
  const missingOrMinor = (r: UffdReg): FaultResult | null => {
    const isPresent = uffdPresent(k, m, page);
    if (!isPresent && (r.mode & UFFD_MODE.MISSING) !== 0n) return { kind: 'userfault', minor: false, reg: r };
    if (isPresent && (r.mode & UFFD_MODE.MINOR) !== 0n) return { kind: 'userfault', minor: true, reg: r };
    return null;
  };
  if (inode.kind === 'gmem') {
    if (!hostShared(k, inode, page)) {
      // UFD-9 / P-UFFD-PRIV: a registered VMA may hand private pages to the handler instead.
      const uf = reg && k.profile.variants.uffdPriv === 'USERFAULT' ? missingOrMinor(reg) : null;
      return uf ?? { kind: 'sigbus' };
    }
    // P-THP-COLLAPSE=UNPATCHED: the collapsed large folio trips the order-0 WARN → SIGBUS (S19).
    if (inode.collapsed.has(page)) return { kind: 'sigbus' };
  }
  if (reg) {
    const uf = missingOrMinor(reg);
    if (uf) return uf;
  }
  return { kind: 'fill', page };
};

/** Maps a found folio: a PTE, or (MAP_PRIVATE store, memfd only) a copy-on-write anonymous page. */
export const installFault = (m: Mapping, page: number, folio: Folio, write: boolean): FaultResult => {
  if (!m.shared && write) {
    const copy: Folio = { data: folio.data ? folio.data.slice() : null, uptodate: true, node: folio.node, dmapRemoved: false };
    m.anon.set(page, copy);
    return { kind: 'mapped', folio: copy };
  }
  m.ptes.set(page, folio);
  return { kind: 'mapped', folio };
};

export const hostFault = (k: Kernel, m: Mapping, mp: number, write: boolean, useUffd: boolean): FaultResult => {
  const plan = planFault(k, m, mp, write, useUffd);
  if (plan.kind !== 'fill') return plan;
  const folio = grab(k, m.inode, plan.page);
  makeUptodate(folio);
  dmapOnUse(k, m.inode, folio);
  return installFault(m, plan.page, folio, write);
};

export const readByte = (f: Folio, off: number): number => (f.data ? f.data[off]! : 0);
export const writeByte = (f: Folio, off: number, v: number): void => {
  f.data ??= new Uint8Array(4096);
  f.data[off] = v & 0xff;
};
