/**
 * kvm_gmem_bind (SLOT-5..7): the fd must be an open gmem file (EBADF / EINVAL) of this VM
 * (EINVAL); the offset is a loff_t (P-OFFSET) and offset + size must fit in the file; a file page
 * may back at most one slot (EINVAL ≤7.1, EEXIST ≥7.2: P-BIND-OVERLAP).
 */
import type { Errno, SlotFd } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import type { Slot, Vm } from './state.js';
import { asLoff, P } from './i64.js';
import { hasPrivateMem } from './caps.js';
import { initShared } from './share.js';

export const bindGmem = (k: Kernel, vm: Vm, slot: Slot, fd: SlotFd, offset: bigint): Errno | null => {
  const file = resolveFd(k, fd);
  if (file === 'EBADF' || file === 'EINVAL') return file;
  const inode = file;
  if (inode.vm !== vm && !k.bug('foreign-vm-bind')) return 'EINVAL';
  const size = BigInt(slot.npages) * P;
  if (k.profile.variants.offset === 'SIGNED618') {
    // 6.18: loff_t arithmetic; a sum that wraps negative slips past the i_size check (SLOT-6).
    const off = asLoff(offset);
    if (off < 0n || asLoff(off + size) > inode.size) return 'EINVAL';
  } else if (offset + size > inode.size) return 'EINVAL';
  const start = Number(asLoff(offset) / P);
  const end = start + slot.npages;
  const overlap = inode.bindings.some((b) => start < b.end && b.start < end);
  if (overlap && !k.bug('bind-overlap-accepted')) return k.profile.variants.bindOverlap;
  // P-MMAP-NOSHARED-GUEST=REJECT: a non-CoCo VM may not bind MMAP gmem that the host can never fault.
  if (k.profile.variants.mmapNoSharedGuest === 'REJECT' && !hasPrivateMem(vm.type) && inode.flags & 1n && !initShared(k, inode)) {
    return 'EINVAL';
  }
  inode.bindings.push({ vm, slot, start, end });
  slot.gmem = { inode, pgoff: start, gmemOnly: (inode.flags & 1n) !== 0n };
  return null;
};

const resolveFd = (k: Kernel, fd: SlotFd): ReturnType<Kernel['newInode']> | 'EBADF' | 'EINVAL' => {
  switch (fd.kind) {
    case 'notOpen':
      return 'EBADF';
    case 'pathFd': {
      // fget skips O_PATH files; the bug looks them up like any file and fails the f_op check instead.
      const f = k.fds.get(fd.fd);
      return f && k.bug('opath-bind-einval') ? 'EINVAL' : 'EBADF';
    }
    case 'kvmFd':
      return 'EINVAL';
    case 'vmFd':
      return k.liveVm(fd.vm) ? 'EINVAL' : 'EBADF';
    case 'fd': {
      const f = k.fds.get(fd.fd);
      if (!f) return 'EBADF';
      return f.inode.kind === 'gmem' ? f.inode : 'EINVAL';
    }
  }
};
