/**
 * The creation request misused (CRE-14, CRE-15; docs/kernel-surface.md A02–A06): which fd gets
 * the number decides who answers it, and only the VM fd with the exact number ever reads the
 * argument. Check order per receiver (v7.2; v6.18 the same):
 * - VM fd: kvm_vm_ioctl switches on the whole number, so a different size field is no case of it
 *   and falls to kvm_arch_vm_ioctl's default (ENOTTY); a kernel built without guest_memfd has no
 *   case at all (ENV-1); the real number copies the argument first (EFAULT).
 * - /dev/kvm: kvm_dev_ioctl's default, kvm_arch_dev_ioctl's default: EINVAL.
 * - vCPU fd: the type byte is KVMIO, so kvm_vcpu_ioctl's type check passes; x86's unlocked hook
 *   knows only KVM_MEMORY_ENCRYPT_OP; kvm_arch_vcpu_ioctl's default: EINVAL.
 * - any other file (gmem, memfd): the VFS finds no ioctl method, or the gmem ioctl handler of the
 *   conversion series does not know the number: ENOTTY.
 */
import { err } from '../vocab/index.js';
import { only, rule } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf, fdDead, vmDead } from '../lifetime/handles.js';
import { env1Gmem } from '../creation/gmem.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'createGmemMisuse'>;

export const misuseGone = ebadf<C>(({ s, op: { on } }) =>
  on.kind === 'vm' ? vmDead(s, on.vm) : on.kind === 'vcpu' ? !s.vcpus.has(on.vcpu) : on.kind === 'fd' ? fdDead(s, on.fd) : false);

/** CRE-15: the number is a VM ioctl only, and only with its own size. */
export const cre15 = rule<C>({
  id: 'CRE-15',
  cite: 'CRE-15; virt/kvm/kvm_main.c kvm_vm_ioctl, kvm_dev_ioctl, kvm_vcpu_ioctl; arch/x86/kvm/x86.c kvm_arch_vm_ioctl (default ENOTTY), kvm_arch_dev_ioctl, kvm_arch_vcpu_unlocked_ioctl, kvm_arch_vcpu_ioctl (default EINVAL); fs/ioctl.c vfs_ioctl (no unlocked_ioctl: ENOTTY), v7.2 (obs:CR-A03..05, VC-02)',
  decide: ({ s, op }) => {
    switch (op.on.kind) {
      case 'kvm': case 'vcpu': return only(s, err('EINVAL'));
      case 'fd': return only(s, err('ENOTTY'));
      case 'vm': return op.ioctlSize === 'real' ? undefined : only(s, err('ENOTTY'));
    }
  },
});

/** ENV-1 as this op sees it: no KVM_CREATE_GUEST_MEMFD case in the VM ioctl switch. */
export const env1Misuse = rule<C>({
  id: env1Gmem.id,
  cite: env1Gmem.cite,
  decide: ({ p, s }) => (p.caps.guestMemfd === 0 ? only(s, err('ENOTTY')) : undefined),
});

/** CRE-14: the real request copies its argument before looking at any field: NULL or an unmapped page is EFAULT. */
export const cre14 = rule<C>({
  id: 'CRE-14',
  cite: 'CRE-14; virt/kvm/kvm_main.c kvm_vm_ioctl (KVM_CREATE_GUEST_MEMFD: copy_from_user before kvm_gmem_create), v6.18 = v7.2 (obs:CR-A01/02)',
  decide: ({ s }) => only(s, err('EFAULT')),
});

export const misuseChain = [misuseGone, cre15, env1Misuse, cre14] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  createGmemMisuse: (p, s, o) => must({ p, s, op: o }, misuseChain),
} satisfies Steps;
