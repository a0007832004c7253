/** KVM_CREATE_GUEST_MEMFD (kvm_gmem_create) and memfd_create + ftruncate. */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { gmemFlagsFor } from '../caps.js';
import { aligned, asLoff, pagesUp } from '../i64.js';
import { getRef } from '../lifetime.js';
import { initShared } from '../share.js';

/**
 * Check order of kvm_gmem_create (CRE-5): flags ⊆ cap 244 of the VM type (CRE-2), then size > 0
 * as loff_t and page-aligned (CRE-4). reserved[] is ignored on 6.18 (CRE-6, P-RESERVED).
 */
export const createGmem = (k: Kernel, op: OpOf<'createGmem'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  // Built without CONFIG_KVM_GUEST_MEMFD: the VM ioctl does not exist (kvm_arch_vm_ioctl: ENOTTY).
  if (k.profile.caps.guestMemfd === 0) return err('ENOTTY');
  const supported = gmemFlagsFor(k.profile, vm.type) | (k.bug('flags-bit2-unchecked') ? 4n : 0n);
  if ((op.flags & ~supported) !== 0n) return err('EINVAL');
  const reservedSet = op.reserved.some((r) => r !== 0n);
  if (reservedSet && (k.profile.variants.reserved === 'MUST-BE-ZERO' || k.bug('reserved-rejected'))) return err('EINVAL');
  // P-DEFAULT-SHARE=INIT_PRIVATE (RFC v2): bit 1 means INIT_PRIVATE and needs SUPPORT_SHARED (bit 0).
  if (k.profile.variants.defaultShare === 'INIT_PRIVATE' && (op.flags & 2n) !== 0n && (op.flags & 1n) === 0n) return err('EINVAL');
  const size = asLoff(op.size);
  if (size <= 0n || (!aligned(size) && !k.bug('size-unaligned-accepted'))) return err('EINVAL');
  const inode = k.newInode('gmem', size, op.flags, vm);
  if (k.profile.variants.attrMissing === 'PRIVATE' && initShared(k, inode)) inode.attrs.set(0, pagesUp(size), false);
  // CRE-7: get_unused_fd_flags(0), so no FD_CLOEXEC.
  k.claim(k.fds, op.id, { inode, cloexec: k.bug('gmem-cloexec') }, 'fd');
  getRef(inode);
  return ok();
};

/** memfd_create(name, MFD_CLOEXEC) then ftruncate(size): a negative loff_t size → EINVAL. */
export const createMemfd = (k: Kernel, op: OpOf<'createMemfd'>): Outcome => {
  const size = asLoff(op.size);
  if (size < 0n) return err('EINVAL');
  const inode = k.newInode('memfd', size, 0n, null);
  k.claim(k.fds, op.id, { inode, cloexec: true }, 'fd');
  getRef(inode);
  return ok();
};
