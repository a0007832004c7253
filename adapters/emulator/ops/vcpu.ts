/**
 * KVM_CREATE_VCPU, the creation request misused, KVM_PRE_FAULT_MEMORY (issue 15, the vCPU side):
 * the modelled x86 KVM, written from virt/kvm/kvm_main.c and arch/x86/kvm (v7.2).
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { accessIn } from './guest.js';

/** kvm_vm_ioctl_create_vcpu: id < KVM_MAX_VCPU_IDS (unsigned long), room under max_vcpus, then a free id. */
export const createVcpu = (k: Kernel, op: OpOf<'createVcpu'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  // The bug takes the id as an unsigned int, as the function did before it became unsigned long.
  const id = k.bug('vcpu-id-low32') ? BigInt.asUintN(32, op.vcpuId) : op.vcpuId;
  if (id >= BigInt(k.profile.caps.maxVcpuIds)) return err('EINVAL');
  const mine = [...k.vcpus.values()].filter((v) => v.vm === vm);
  if (mine.length >= k.profile.caps.maxVcpus) return err('EINVAL');
  if (mine.some((v) => v.vcpuId === id)) return err('EEXIST');
  k.claim(k.vcpus, op.id, { vm, vcpuId: id }, 'vcpu');
  return ok();
};

/** Who answers the creation number: the VM's switch, /dev/kvm's and the vCPU's arch defaults, or the VFS. */
export const createGmemMisuse = (k: Kernel, op: OpOf<'createGmemMisuse'>): Outcome => {
  switch (op.on.kind) {
    case 'kvm': return err('EINVAL');
    case 'vcpu': return k.vcpus.has(op.on.vcpu) ? err(k.bug('vcpu-forwards-vm-ioctl') ? 'EFAULT' : 'EINVAL') : err('EBADF');
    case 'fd': return k.fds.has(op.on.fd) ? err('ENOTTY') : err('EBADF');
    case 'vm': {
      if (!k.liveVm(op.on.vm)) return err('EBADF');
      // Only the exact number is a case of kvm_vm_ioctl's switch, and only where guest_memfd is built.
      if (op.ioctlSize !== 'real' || k.profile.caps.guestMemfd === 0) return err('ENOTTY');
      return err('EFAULT');
    }
  }
};

const PAGE = 4096n;
const U64 = 1n << 64n;

/**
 * kvm_vcpu_pre_fault_memory: validate, then fault GPAs in one by one (a read, as the guest would),
 * stopping at the first that fails; any progress makes the call succeed with the rest written back.
 */
export const preFault = (k: Kernel, op: OpOf<'preFault'>): Outcome => {
  const vcpu = k.vcpus.get(op.vcpu);
  if (!vcpu) return err('EBADF');
  if ((op.flags !== 0n && !k.bug('prefault-flags-ignored')) || op.gpa % PAGE !== 0n || op.size % PAGE !== 0n || (op.gpa + op.size) % U64 <= op.gpa) return err('EINVAL');
  const vm = vcpu.vm;
  // pre_fault_allowed: the default and SW_PROTECTED VM types.
  if (vm.type !== 0 && vm.type !== 1) return err('EOPNOTSUPP');
  // No TDP (cap 236 = 0): the shadow root needs MMU pages first, then the TDP-only fault path refuses.
  if (k.profile.caps.preFault === 0) return err((vm.mmuPages ?? 0) === 0 ? 'ENOSPC' : 'EOPNOTSUPP');
  const end = op.gpa + op.size;
  for (let gpa = op.gpa; gpa < end; gpa += PAGE) {
    k.work++;
    const o = accessIn(k, vm, { gpa, write: false, value: 0 });
    if (o.kind === 'ok') continue;
    const errno = o.kind === 'errno' ? o.errno : o.kind === 'exit' && o.reason === 'MMIO' ? 'ENOENT' : 'EFAULT';
    if (gpa === op.gpa) return err(errno);
    return ok({ gpa: k.bug('prefault-no-writeback') ? op.gpa : gpa, size: k.bug('prefault-no-writeback') ? op.size : end - gpa });
  }
  return ok({ gpa: end, size: 0n });
};
