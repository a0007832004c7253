/**
 * The numbered rules of the vCPU side (issue 15; docs/kernel-surface.md rows A02–A06, A19, A23):
 * misuse of the creation request, KVM_CREATE_VCPU, KVM_PRE_FAULT_MEMORY. Same format as
 * ./surface-rules.ts; a file of its own so the families grow without touching each other. Kernel
 * sources are read at v7.2 (Debian's linux-source-7.2, 7.2.13); the 6.18 answers rest on the
 * measurements of this host's kernel (obs:VC-*, CR-A*, CAP-09).
 */
import type { RuleText } from './entry.js';

export const SURFACE_VCPU_RULES: readonly RuleText[] = [
  {
    id: 'CRE-14',
    statement: 'A bad argument pointer to `KVM_CREATE_GUEST_MEMFD` on a VM fd — NULL, or a page mapped without access — fails with `EFAULT` before any field is looked at: the structure is copied in first. A kernel built without guest_memfd has no such request and answers `ENOTTY` whatever the pointer (ENV-1).',
    status: 'UP-6.8',
    observability: 'OBS',
    measured: 'NULL and unmapped: `EFAULT` on 6.18.44 with guest_memfd (obs:CR-A01..05); `ENOTTY` for both without it (obs:VC-02)',
    src: 'virt/kvm/kvm_main.c `kvm_vm_ioctl` (`KVM_CREATE_GUEST_MEMFD`: `copy_from_user` before `kvm_gmem_create`), v6.18 = v7.2.',
  },
  {
    id: 'CRE-15',
    statement: 'The creation request is a VM ioctl only, and only with its own size field (64). With another size it is no case of the VM switch and falls to the x86 default: `ENOTTY`, before the argument is read. On /dev/kvm it is an unknown KVM ioctl (`EINVAL`, the x86 device default); on a vCPU fd too (`EINVAL`: the type byte is KVMIO, so the vCPU type check passes, and the x86 vCPU default refuses); on any other file (a gmem fd, a memfd) the VFS finds no ioctl method: `ENOTTY` (under the conversion series gmem has an ioctl handler whose default is taken to answer the same).',
    status: 'UP (generic KVM)',
    observability: 'OBS',
    measured: '/dev/kvm `EINVAL`, gmem fd `ENOTTY`, wrong size `ENOTTY` (obs:CR-A01..05); vCPU fd `EINVAL`, memfd `ENOTTY`, each size 0, 56, 72, 16383 (obs:VC-02)',
    src: 'virt/kvm/kvm_main.c `kvm_vm_ioctl`, `kvm_dev_ioctl`, `kvm_vcpu_ioctl` (`_IOC_TYPE` check); arch/x86/kvm/x86.c `kvm_arch_vm_ioctl` (default `ENOTTY`), `kvm_arch_dev_ioctl`, `kvm_arch_vcpu_unlocked_ioctl` (only `KVM_MEMORY_ENCRYPT_OP`), `kvm_arch_vcpu_ioctl` (default `EINVAL`); fs/ioctl.c `vfs_ioctl` (no `unlocked_ioctl`: `ENOTTY`), v7.2.',
  },
  {
    id: 'ENV-11',
    statement: '`KVM_CREATE_VCPU` takes the vCPU id as the ioctl\'s unsigned long and compares all of it: an id at or above KVM_MAX_VCPU_IDS (`KVM_CAP_MAX_VCPU_ID`) is `EINVAL`, never the vCPU its low 32 bits name; a VM that already has `KVM_CAP_MAX_VCPUS` vCPUs refuses another with `EINVAL`; an id the VM already has is `EEXIST`; a VM whose fd is closed cannot be asked (`EBADF`). A vCPU holds its VM: it keeps working after the VM fd is closed. gmem files and memslots play no part.',
    status: 'UP (generic KVM)',
    observability: 'OBS',
    measured: 'caps 66 = 1024, 128 = 4096; ids 1, 0, 4095 created, 1 again `EEXIST`, 4096, 2^32 + 2, 2^32 − 1 `EINVAL` (obs:VC-01)',
    src: 'virt/kvm/kvm_main.c `kvm_vm_ioctl_create_vcpu` (`id >= KVM_MAX_VCPU_IDS`, `created_vcpus >= max_vcpus`, `kvm_get_vcpu_by_id`, `kvm_get_kvm`); arch/x86/kvm/x86.c `kvm_arch_vcpu_precreate` (`max_vcpu_ids`), v7.2.',
  },
  {
    id: 'SLOT-21',
    statement: 'The `guest_memfd` field of `KVM_SET_USER_MEMORY_REGION2` naming an `O_PATH` descriptor of a gmem file fails with `EBADF`: the lookup skips path-only files, so it is as if no file were open there (never `EINVAL`, which a real non-gmem file gets).',
    status: 'UP-6.8',
    observability: 'Y',
    measured: 'not on this host (no guest_memfd: the GUEST_MEMFD flag is refused first, obs:NG-05); the 7.2 VM target shows it',
    src: 'virt/kvm/guest_memfd.c `kvm_gmem_bind` (`fget`); fs/file.c `fget` (`FMODE_PATH` files are not returned), v6.18 = v7.2.',
  },
  {
    id: 'SLOT-22',
    statement: '`KVM_PRE_FAULT_MEMORY` validates the range before anything else: `flags` ≠ 0, a `gpa` or `size` not page-aligned, and a range whose end wraps past 2^64 or that is empty are `EINVAL`. The five padding words are never read.',
    status: 'UP-6.11',
    observability: 'OBS',
    measured: 'flags 1, gpa 1, size 0, two wrapping ranges `EINVAL`; padding 1 answers as 0 does (obs:VC-03)',
    src: 'virt/kvm/kvm_main.c `kvm_vcpu_pre_fault_memory`, `kvm_vcpu_ioctl` (`KVM_PRE_FAULT_MEMORY`), v7.2.',
  },
  {
    id: 'SLOT-23',
    statement: 'On a host with two-dimensional paging, pre-faulting a GPA does to its backing what a guest read of it does: a GPA of a gmem-only slot (or a private one) allocates the gmem folio if needed, clears it if not up to date and maps it at 4K; any other GPA is faulted in through the slot\'s `userspace_addr`. The call returns 0 and writes back `gpa` = the end and `size` = 0 when the whole range was mapped.',
    status: 'UP-6.11',
    observability: 'NOT-OBS',
    measured: 'not on this host (kvm_pvm has no TDP: SLOT-25); cap 236 = 1 and the call succeeds in the 7.2 VM (docs/probe-records/linux-7.2.13-qemu.md)',
    src: 'arch/x86/kvm/mmu/mmu.c `kvm_arch_vcpu_pre_fault_memory`, `kvm_tdp_page_prefault`, `kvm_mmu_faultin_pfn` (the gmem branch for private or gmem-only slots); virt/kvm/guest_memfd.c `kvm_gmem_get_pfn`, v7.2.',
  },
  {
    id: 'SLOT-24',
    statement: 'The pre-fault walks the range from `gpa` up and stops at the first GPA no memslot covers (`ENOENT`: the fault would need emulation) or whose backing cannot be faulted in (its errno, e.g. `EFAULT`). If nothing was mapped the call fails with that errno; if at least one page was, it returns 0 and writes the rest of the range back (`gpa` advanced, `size` reduced). The range is copied back in every case.',
    status: 'UP-6.11',
    observability: 'NOT-OBS',
    measured: 'not on this host (SLOT-25 answers first); the VM target shows it',
    src: 'virt/kvm/kvm_main.c `kvm_vcpu_pre_fault_memory` ("success if at least one page was mapped"), `kvm_vcpu_ioctl` (leftover range copied back); arch/x86/kvm/mmu/mmu.c `kvm_tdp_map_page` (`RET_PF_EMULATE` → `ENOENT`), `kvm_handle_error_pfn` (`EFAULT`), v7.2.',
  },
  {
    id: 'SLOT-25',
    statement: 'Only two-dimensional paging faults by GPA. A VM type not allowed to pre-fault (x86: anything but the default and SW_PROTECTED types until its vendor code allows it) is `EOPNOTSUPP`. Without TDP (`KVM_CAP_PRE_FAULT_MEMORY` = 0: shadow paging, kvm_pvm) the MMU root is loaded first: before the VM ever created or deleted a memslot the shadow MMU has no page budget and the call fails with `ENOSPC`; after that (even with no slot left) the TDP-only check refuses with `EOPNOTSUPP`.',
    status: 'UP-6.11 (DERIVED order, measured)',
    observability: 'OBS',
    measured: '`EOPNOTSUPP` with a memslot (obs:CAP-09, VC-03); `ENOSPC` before any memslot, `EOPNOTSUPP` after one was created and deleted (obs:VC-03)',
    src: 'arch/x86/kvm/mmu/mmu.c `kvm_arch_vcpu_pre_fault_memory` (`pre_fault_allowed`, `kvm_mmu_reload`, `kvm_tdp_page_prefault`), `make_mmu_pages_available` (`ENOSPC`), `mmu_alloc_direct_roots` (the TDP MMU needs no budget); arch/x86/kvm/x86.c `kvm_arch_init_vm` (`pre_fault_allowed`), `kvm_arch_commit_memory_region` (budget sized on create and delete), v7.2.',
  },
];
