/**
 * KVM_SET_USER_MEMORY_REGION(2) argument checks, all EINVAL (kvm_vm_ioctl_set_memory_region,
 * check_memory_region_flags, kvm_set_memory_region "general sanity checks"), before any lookup.
 */
import { MEM, err } from '../vocab/index.js';
import { only, rule, type Decision } from '../rule.js';
import { TASK_SIZE, aligned, type Ctx } from '../ctx.js';
import { addressSpaces } from '../creation/caps.js';
import { ebadf, vmDead } from '../lifetime/handles.js';

type C = Ctx<'setMemoryRegion'>;

export const slotVmDead = ebadf<C>(({ s, op }) => vmDead(s, op.vm));

/** SLOT-1: the v1 ioctl knows only LOG_DIRTY_PAGES and READONLY; v2 adds GUEST_MEMFD; others EINVAL. */
export const slot1 = rule<C>({
  id: 'SLOT-1',
  cite: 'SLOT-1; virt/kvm/kvm_main.c check_memory_region_flags (obs:MS-01..03, MS-42/43)',
  decide: ({ p, s, op }) => {
    // KVM_MEM_GUEST_MEMFD exists only in v2 and only where guest_memfd is built (cap 234, ENV-1).
    const valid = MEM.LOG_DIRTY_PAGES | MEM.READONLY | (op.v1 || p.caps.guestMemfd === 0 ? 0 : MEM.GUEST_MEMFD);
    return (op.flags & ~valid) !== 0 || op.flags < 0 ? only(s, err('EINVAL')) : undefined;
  },
});

/** SLOT-2: GUEST_MEMFD excludes READONLY and LOG_DIRTY_PAGES. */
export const slot2 = rule<C>({
  id: 'SLOT-2',
  cite: 'SLOT-2; S18 (commit e563592224e0) (obs:MS-40/41)',
  decide: ({ s, op }) =>
    (op.flags & MEM.GUEST_MEMFD) !== 0 && (op.flags & (MEM.READONLY | MEM.LOG_DIRTY_PAGES)) !== 0 ? only(s, err('EINVAL')) : undefined,
});

/** KVM_MEM_MAX_NR_PAGES (include/linux/kvm_host.h). */
const MAX_NR_PAGES = (1n << 31n) - 1n;
const U64 = 1n << 64n;

/** SLOT-3: slot id, alignment of size/GPA/userspace_addr, access_ok, GPA wrap, size limit. */
export const slot3 = rule<C>({
  id: 'SLOT-3',
  cite: 'SLOT-3; virt/kvm/kvm_main.c kvm_set_memory_region; arch/x86/include/asm/kvm_host.h kvm_arch_nr_memslot_as_ids (v7.2: 2 address spaces with CONFIG_KVM_SMM, 1 for private memory) (obs:MS-14/15, MS-30..36, MS-47..49; probe record linux-7.2.13-qemu: cap 118 = 2)',
  decide: ({ p, s, op }): Decision | undefined => {
    const id = op.slot & 0xffff;
    const asId = op.slot >>> 16;
    const bad =
      op.slot < 0 || asId >= addressSpaces(p, s.vms.get(op.vm)?.type ?? 0) || id >= p.caps.nrMemslots ||
      !aligned(op.size) || !aligned(op.gpa) || op.uaddr.kind === 'unaligned' ||
      (op.uaddr.kind === 'map' && !aligned(op.uaddr.offset)) ||
      op.gpa + op.size >= U64 || op.size >> 12n > MAX_NR_PAGES || uaddrOutOfRange(op);
    return bad ? only(s, err('EINVAL')) : undefined;
  },
});

/** access_ok(userspace_addr, size): certain failures only (a live mapping's base is below TASK_SIZE). */
const uaddrOutOfRange = (op: C['op']): boolean => {
  if (op.size > TASK_SIZE) return true;
  if (op.uaddr.kind === 'null') return false;
  if (op.uaddr.kind === 'map') return op.uaddr.offset < 0n || op.uaddr.offset + op.size > TASK_SIZE;
  return true;
};

/** SLOT-4: guest_memfd_offset page-aligned and offset+size not wrapping u64 (before the fd lookup). */
export const slot4 = rule<C>({
  id: 'SLOT-4',
  cite: 'SLOT-4; virt/kvm/kvm_main.c kvm_set_memory_region (obs:MS-08/09/12)',
  decide: ({ s, op }) =>
    (op.flags & MEM.GUEST_MEMFD) !== 0 && !op.v1 && (!aligned(op.gmemOffset) || op.gmemOffset + op.size >= U64 || op.gmemOffset < 0n)
      ? only(s, err('EINVAL'))
      : undefined,
});

export const slotArgChain = [slotVmDead, slot1, slot2, slot3, slot4] as const;
