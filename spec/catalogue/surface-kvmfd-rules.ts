/**
 * The numbered rules of round 4's fd and memslot calls (issue 15; docs/kernel-surface.md rows A25
 * and A12). Same format as ./surface-rules.ts; a file of its own so the families grow without
 * touching each other. FIO-26 (fdWatch, row B42) keeps its entry in ./surface-fd2-rules.ts.
 */
import type { RuleText } from './entry.js';

export const SURFACE_KVMFD_RULES: readonly RuleText[] = [
  {
    id: 'SLOT-26',
    statement: 'A gmem slot never has a dirty bitmap (LOG_DIRTY_PAGES is refused with GUEST_MEMFD, SLOT-2), so `KVM_GET_DIRTY_LOG` and `KVM_CLEAR_DIRTY_LOG` on it fail with `ENOENT`, as on a missing slot or a plain slot that does not log. Check order: a VM whose dirty tracking is a ring only → `ENXIO` (no preset enables a ring); CLEAR with `first_page` not a multiple of 64 → `EINVAL` before the slot number is looked at; an address-space id at or past the VM\'s count or a slot id at or past KVM_USER_MEM_SLOTS → `EINVAL`; no bitmap → `ENOENT`; CLEAR whose range leaves the slot, or stops short of its end with a count that is not a multiple of 64 → `EINVAL`; then the bitmap is copied → 0. CLEAR works without the manual-protect capability being enabled.',
    status: 'UP (generic KVM; gmem only through SLOT-2)',
    observability: 'OBS',
    measured: 'on plain slots of a kvm_pvm VM: ENOENT without LOG_DIRTY_PAGES or without a slot, 0 with it, each EINVAL of the order above, EBADF on a closed VM fd (obs:KFD-01..05)',
    src: 'virt/kvm/kvm_main.c `kvm_vm_ioctl` (KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG), `kvm_get_dirty_log_protect`, `kvm_clear_dirty_log_protect`, `kvm_use_dirty_bitmap`, `check_memory_region_flags`; arch/x86/include/asm/kvm_host.h `kvm_arch_nr_memslot_as_ids`, v7.2 (the same at v6.18).',
  },
];
