/**
 * Host shareability of a gmem page. 6.18: fixed per file by INIT_SHARED (SHR-0, MAP-5). With the
 * conversion series: a per-page attribute whose missing entries fall back per P-ATTR-MISSING (SHR-2).
 */
import type { Kernel } from './kernel.js';
import type { Inode } from './state.js';

/** Does the file start shared? P-DEFAULT-SHARE: INIT_SHARED = bit 1 set; INIT_PRIVATE = MMAP without bit 1. */
export const initShared = (k: Kernel, inode: Inode): boolean => {
  if (inode.kind !== 'gmem') return true;
  if (k.bug('init-shared-ignored')) return false;
  return k.profile.variants.defaultShare === 'INIT_SHARED'
    ? (inode.flags & 2n) !== 0n
    : (inode.flags & 1n) !== 0n && (inode.flags & 2n) === 0n;
};

/** True if a host fault may map `page` (kvm_gmem_fault_user_mapping's shared check). */
export const hostShared = (k: Kernel, inode: Inode, page: number): boolean => {
  if (inode.kind !== 'gmem') return true;
  if (!k.profile.features.conversion || k.profile.variants.convApi === 'VM-ATTR') return initShared(k, inode);
  const priv = inode.attrs.get(page);
  if (priv !== undefined) return !priv;
  return k.profile.variants.attrMissing === 'INITIAL' ? initShared(k, inode) : false;
};
