/**
 * Inode lifetime (LIFE-1): fds and mappings hold the file; at the last reference the file is
 * released: gmem unbinds every memslot it backs (the slot stays, SLOT-11) and the page cache goes.
 */
import type { Kernel } from './kernel.js';
import type { Inode } from './state.js';
import { deleteKeys, truncateRange } from './pagecache.js';

export const getRef = (inode: Inode): void => {
  inode.refs += 1;
};

export const putRef = (k: Kernel, inode: Inode): void => {
  inode.refs -= 1;
  if (inode.refs > 0 || inode.released) return;
  inode.released = true;
  // kvm_gmem_release: the slots keep existing but lose their file (slot->gmem.file = NULL).
  for (const b of inode.bindings) {
    k.work += deleteKeys(b.vm.sptes, b.slot.gfn, b.slot.gfn + b.slot.npages);
  }
  inode.bindings.length = 0;
  truncateRange(k, inode, 0, Number.MAX_SAFE_INTEGER, { zap: true, drop: true });
  inode.sharedPolicy.clear();
};
