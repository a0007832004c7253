/**
 * The numbered rule of KVM's binary statistics (issue 15, round 5; docs/kernel-surface.md rows A24
 * and J13). Same format as ./surface-rules.ts; a file of its own so the families grow without
 * touching each other.
 */
import type { RuleText } from './entry.js';

export const SURFACE_KSTATS_RULES: readonly RuleText[] = [
  {
    id: 'LVL-10',
    statement: '`KVM_GET_STATS_FD` on a VM fd or a vCPU fd (the argument is not looked at) returns a new fd of an anon-inode file opened read-only with positional reads only (O_RDONLY, FMODE_PREAD; close-on-exec); `/dev/kvm` refuses it (`EINVAL`), a closed fd is `EBADF`. The file holds, in this order, the header (`flags` 0, `name_size` 48 = KVM_STATS_NAME_SIZE, `num_desc`, `id_offset`, `desc_offset`, `data_offset`), the id string (`kvm-<pid>` for a VM, `kvm-<pid>/vcpu-<vcpu id>` for a vCPU), `num_desc` descriptors of 16 + `name_size` bytes (a NUL-terminated name, a type/unit/base word within the uAPI values, a size of at least one u64, an offset into the data block) and the data block; it ends where the data block ends: a pread there or past it returns 0, across it the bytes before the end, at a negative position `EINVAL`. `write` fails with `EBADF` (not open for writing), `pwrite` with `ESPIPE` (no FMODE_PWRITE). x86 VM statistics include `remote_tlb_flush`, `pages_4k`, `pages_2m`, `pages_1g`, `nx_lpage_splits`; vCPU statistics `halt_exits`, `exits`, `pf_taken`, `pf_fixed`, `blocking`. `pages_*` count the leaf SPTEs of each level: none while the VM has no memslot (every SPTE maps a slot\'s GFN; deleting a slot zaps them). Where guest accesses go through guest_memfd on a TDP host (P-GUEST-PATH GMEM; the TDP MMU updates the counters for every leaf it installs or zaps), each gmem-served GFN the guest touched is a 4K SPTE (LVL-2), so `pages_4k` is non-zero while one is mapped, and nothing is mapped huge while every slot is gmem-only; accesses through a `userspace_addr` follow the host page tables (LVL-3). Without the TDP MMU (kvm_pvm, whose shadow paging emulates the guest\'s accesses, or a shadow MMU, which counts per guest page table) zero and non-zero are both allowed. The stats fd keeps the VM alive (kvm_get_kvm).',
    status: 'UP (generic KVM, x86 statistics; kvm_pvm: pages_* stay 0)',
    observability: 'OBS',
    measured: 'on a kvm_pvm VM and vCPU: the layout checks hold (16 VM and 47 vCPU descriptors, name_size 48, flags 0), pread at the end 0, 4 bytes across it, -1 EINVAL, write EBADF, pwrite ESPIPE, /dev/kvm EINVAL; pages_* 0 (obs:KST-01..04, obs:finding 1)',
    src: 'virt/kvm/kvm_main.c `kvm_vm_ioctl_get_stats_fd`, `kvm_vcpu_ioctl_get_stats_fd`, `kvm_create_vm` and `kvm_vcpu_init` (`stats_id`), `kvm_dev_ioctl` (default EINVAL); virt/kvm/binary_stats.c `kvm_stats_read`; include/uapi/linux/kvm.h `kvm_stats_header`, `kvm_stats_desc`, KVM_STATS_*; fs/read_write.c `ksys_pread64`, `ksys_pwrite64`, `vfs_write`; arch/x86/kvm/x86.c `kvm_vm_stats_desc`, `kvm_vcpu_stats_desc`; arch/x86/kvm/mmu/tdp_mmu.c `handle_changed_spte`; arch/x86/kvm/x86.c `kvm_arch_flush_shadow_memslot`, v6.18 and v7.2.',
  },
];
