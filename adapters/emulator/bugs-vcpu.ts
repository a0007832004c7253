/**
 * Zoo bugs of the vCPU side (issue 15): each a plausible kernel change that breaks one rule of
 * spec/catalogue/surface-vcpu-rules.ts, with its shortest counterexample. They act on vCPUs and
 * the creation request, not on guest_memfd files, so the 6.18 profile shows most of them without
 * a gmem file at all. Spread into ./bugs.ts's BUGS.
 */
import type { BugInfo } from './bugs.js';

export const VCPU_BUGS = [
  // createVm; createVcpu(id 2^32 + 1) → EINVAL expected, a vCPU with id 1 with the bug.
  { id: 'vcpu-id-low32', description: 'KVM_CREATE_VCPU takes its unsigned long id as an unsigned int: id 2^32 + n creates vCPU n', domain: 'creation', rule: 'ENV-11', needs: '', shortest: 2 },
  // createVm; createVcpu; createGmemMisuse(on vcpu, NULL) → EINVAL expected, EFAULT with the bug.
  { id: 'vcpu-forwards-vm-ioctl', description: 'the vCPU fd hands KVMIO numbers it does not know to the VM ioctl, so the creation request reaches copy_from_user there', domain: 'creation', rule: 'CRE-15', needs: '', shortest: 3 },
  // createVm; createVcpu; preFault(flags 1) → EINVAL expected, ENOSPC (no memslot yet) with the bug.
  { id: 'prefault-flags-ignored', description: 'KVM_PRE_FAULT_MEMORY no longer refuses non-zero flags', domain: 'memslot', rule: 'SLOT-22', needs: '', shortest: 3 },
  // createVm; createVcpu; G(MMAP); setMemoryRegion(gmem, 1 page at 0); preFault(0, 2 pages) → ok {gpa 4096, size 4096} expected, the range unchanged with the bug.
  { id: 'prefault-no-writeback', description: 'KVM_PRE_FAULT_MEMORY forgets to write the leftover range back after partial progress', domain: 'memslot', rule: 'SLOT-24', needs: 'caps.preFault (a TDP host: upstream)', shortest: 5 },
  // createVm; G; setMemoryRegion(GUEST_MEMFD, gmem: O_PATH of fd 0) → EBADF expected, EINVAL with the bug.
  { id: 'opath-bind-einval', description: 'kvm_gmem_bind switches to a lookup that admits O_PATH files and fails the f_op check with EINVAL instead of EBADF', domain: 'memslot', rule: 'SLOT-21', needs: '', shortest: 3 },
] as const satisfies readonly BugInfo[];
