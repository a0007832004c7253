/**
 * KVM_GET_DIRTY_LOG and KVM_CLEAR_DIRTY_LOG on a memslot (SLOT-26; docs/kernel-surface.md A25).
 * A slot has a dirty bitmap only while it carries KVM_MEM_LOG_DIRTY_PAGES, which a gmem slot never
 * can (SLOT-2), so both ioctls on a gmem slot fail with ENOENT. Check order, v7.2 (v6.18 the same):
 * kvm_vm_ioctl copies the argument; kvm_{get,clear}_dirty_log_protect then refuse a VM using only
 * a dirty ring (ENXIO: never here, no ring is enabled); CLEAR refuses a first_page that is not a
 * multiple of 64 before anything else (EINVAL); an address-space id at or past the VM's count or
 * a slot id at or past KVM_USER_MEM_SLOTS → EINVAL; no slot, or a slot without a bitmap → ENOENT;
 * CLEAR's range must lie in the slot and, unless it runs to the slot's end, be a multiple of 64
 * pages (EINVAL); then the bitmap is copied (the harness's buffer holds the largest one) → 0.
 */
import { MEM, err, ok } from '../vocab/index.js';
import { only, rule } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { addressSpaces } from '../creation/caps.js';
import { ebadf, vmDead } from '../lifetime/handles.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'dirtyLog'>;

const CITE = 'SLOT-26; virt/kvm/kvm_main.c kvm_vm_ioctl (KVM_GET_DIRTY_LOG, KVM_CLEAR_DIRTY_LOG), kvm_get_dirty_log_protect, kvm_clear_dirty_log_protect, check_memory_region_flags (LOG_DIRTY_PAGES refused with GUEST_MEMFD), v6.18 = v7.2';

export const dirtyVmDead = ebadf<C>(({ s, op }) => vmDead(s, op.vm));

/** SLOT-26: the dirty-log ioctls, in the kernel's check order; a gmem slot never has a bitmap. */
export const slot26 = rule<C>({
  id: 'SLOT-26',
  cite: CITE,
  decide: ({ p, s, op }) => {
    const clear = op.call === 'clear';
    if (clear && (op.firstPage & 63n) !== 0n) return only(s, err('EINVAL'));
    const vm = s.vms.get(op.vm)!;
    if (op.slot >>> 16 >= addressSpaces(p, vm.type) || (op.slot & 0xffff) >= p.caps.nrMemslots) return only(s, err('EINVAL'));
    const slot = vm.slots.get(op.slot >>> 0);
    if (slot === undefined || (slot.flags & MEM.LOG_DIRTY_PAGES) === 0 || slot.gmem !== null) return only(s, err('ENOENT'));
    if (clear) {
      const npages = BigInt(slot.npages);
      const num = BigInt(op.numPages);
      if (op.firstPage > npages || num > npages - op.firstPage || (num < npages - op.firstPage && (num & 63n) !== 0n)) return only(s, err('EINVAL'));
    }
    return only(s, ok());
  },
});

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  dirtyLog: (p, s, o) => must({ p, s, op: o }, [dirtyVmDead, slot26]),
} satisfies Steps;
