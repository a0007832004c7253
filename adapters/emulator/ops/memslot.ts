/**
 * KVM_SET_USER_MEMORY_REGION(2): kvm_vm_ioctl_set_memory_region + __kvm_set_memory_region +
 * kvm_gmem_bind, in that check order (SLOT-1..12).
 */
import { err, MEM, ok } from '../../../spec/vocab/index.js';
import type { Errno, OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Slot, SlotAddr, Vm } from '../state.js';
import { aligned, asU64, P, TASK_SIZE, U64 } from '../i64.js';
import { bindGmem } from '../bind.js';
import { deleteKeys } from '../pagecache.js';
import { hasPrivateMem } from '../caps.js';

const V1_FLAGS = MEM.LOG_DIRTY_PAGES | MEM.READONLY;
/** x86 KVM_MEM_MAX_NR_PAGES = 2^31 - 1. */
const MAX_NR_PAGES = (1n << 31n) - 1n;

export const setMemoryRegion = (k: Kernel, op: OpOf<'setMemoryRegion'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  // SLOT-1: the v1 ioctl accepts only LOG_DIRTY_PAGES and READONLY.
  if (op.v1 && op.flags & ~V1_FLAGS) return err('EINVAL');
  const slot = op.slot >>> 0;
  if ((slot & 0xffff) >= k.profile.caps.nrMemslots) return err('EINVAL');
  const e = regionChecks(k, op, slot, vm.type);
  if (e) return err(e);
  // Each address space has its own slots: the key is the whole slot number.
  const id = slot;
  const old = vm.slots.get(id);
  const size = asU64(op.size);
  if (size === 0n) {
    // SLOT-10: a delete looks only at the old slot; a missing slot → EINVAL.
    if (!old) return err('EINVAL');
    deleteSlot(vm, old);
    return ok();
  }
  const gfn = Number(asU64(op.gpa) / P);
  const npages = Number(size / P);
  if (old) return modify(k, vm, old, op, gfn, npages);
  return create(k, vm, op, id, gfn, npages);
};

/** Generic sanity checks of __kvm_set_memory_region, all EINVAL (SLOT-2..4). */
const regionChecks = (k: Kernel, op: OpOf<'setMemoryRegion'>, slot: number, vmType: number): Errno | null => {
  const gmemFlag = (op.flags & MEM.GUEST_MEMFD) !== 0;
  // Without guest_memfd built in (cap 234 = 0), KVM_MEM_GUEST_MEMFD is an unknown flag.
  let valid = MEM.LOG_DIRTY_PAGES | MEM.READONLY | (k.profile.caps.guestMemfd === 0 ? 0 : MEM.GUEST_MEMFD);
  if (gmemFlag) valid &= ~(MEM.LOG_DIRTY_PAGES | MEM.READONLY);
  if (op.flags & ~valid || op.flags < 0) return 'EINVAL';
  const size = asU64(op.size);
  if (!aligned(size)) return 'EINVAL';
  const gpa = asU64(op.gpa);
  if (!aligned(gpa)) return 'EINVAL';
  const ua = userAddr(k, op);
  if (ua === null || !aligned(ua) || ua + size > TASK_SIZE) return 'EINVAL';
  const off = asU64(op.gmemOffset);
  if (gmemFlag && !op.v1 && (!aligned(off) || off + size >= U64)) return 'EINVAL';
  // x86: two address spaces (normal, SMM) where SMM is built, one for VMs with private memory.
  if (slot >>> 16 >= (hasPrivateMem(vmType) ? 1 : k.profile.caps.addressSpaces)) return 'EINVAL';
  if (gpa + size >= U64) return 'EINVAL';
  if (size / P > MAX_NR_PAGES) return 'EINVAL';
  return null;
};

/** userspace_addr: only alignment and access_ok are checked (SLOT-3); a mapping's base is page-aligned. */
const userAddr = (_k: Kernel, op: OpOf<'setMemoryRegion'>): bigint | null => {
  switch (op.uaddr.kind) {
    case 'null':
      return 0n;
    case 'unaligned':
      return null;
    case 'map':
      // Mappings start page-aligned near the bottom of the address space here; only the offset can misalign.
      return asU64(op.uaddr.offset) & (P - 1n) ? null : asU64(op.uaddr.offset);
  }
};

/** SLOT-9: gmem slots are immutable (6.18.3 toggle fix); plain slots may move or change flags. */
const modify = (k: Kernel, vm: Vm, old: Slot, op: OpOf<'setMemoryRegion'>, gfn: number, npages: number): Outcome => {
  const gmemNow = (op.flags & MEM.GUEST_MEMFD) !== 0;
  const identical = gfn === old.gfn && npages === old.npages && op.flags === old.flags;
  if ((gmemNow || old.flags & MEM.GUEST_MEMFD) && !(k.bug('gmem-slot-reissue-ok') && identical)) return err('EINVAL');
  if (npages !== old.npages || (op.flags ^ old.flags) & MEM.READONLY) return err('EINVAL');
  if (!sameUaddr(k, old, op)) return err('EINVAL');
  if (gfn === old.gfn) {
    if (op.flags === old.flags) return ok();
    vm.slots.set(old.id, { ...old, flags: op.flags });
    return ok();
  }
  if (overlapsGpa(vm, old.id, gfn, npages)) return err('EEXIST');
  vm.slots.set(old.id, { ...old, gfn });
  if (old.id >>> 16 === 0) deleteKeys(vm.sptes, old.gfn, old.gfn + old.npages);
  return ok();
};

/** The address a request names now (see SlotAddr); 'unaligned' was refused before this. */
export const slotAddr = (k: Kernel, u: OpOf<'setMemoryRegion'>['uaddr']): SlotAddr =>
  u.kind === 'map' && k.maps.has(u.map) ? u : { kind: 'raw', addr: u.kind === 'map' ? asU64(u.offset) : 0n };

const sameUaddr = (k: Kernel, old: Slot, op: OpOf<'setMemoryRegion'>): boolean => {
  const now = slotAddr(k, op.uaddr);
  return old.uaddr.kind === 'map'
    ? now.kind === 'map' && now.map === old.uaddr.map && now.offset === old.uaddr.offset
    : now.kind === 'raw' && now.addr === old.uaddr.addr;
};

const create = (k: Kernel, vm: Vm, op: OpOf<'setMemoryRegion'>, id: number, gfn: number, npages: number): Outcome => {
  // SLOT-8: GPA overlap with another slot → EEXIST, before the gmem fd is looked at.
  if (overlapsGpa(vm, id, gfn, npages)) return err(k.bug('gpa-overlap-einval') ? 'EINVAL' : 'EEXIST');
  const slot: Slot = { id, flags: op.flags, gfn, npages, uaddr: slotAddr(k, op.uaddr), gmem: null };
  if (op.flags & MEM.GUEST_MEMFD) {
    const e = bindGmem(k, vm, slot, op.gmem, asU64(op.gmemOffset));
    if (e) return err(e);
  }
  vm.slots.set(id, slot);
  commitMmuPages(vm);
  return ok();
};

/** KVM_MIN_ALLOC_MMU_PAGES: the floor of the shadow MMU's page budget (arch/x86/include/asm/kvm_host.h). */
const MIN_ALLOC_MMU_PAGES = 64;
/** x86 kvm_arch_commit_memory_region: a create or a delete sizes the page budget (at least 64 pages). */
const commitMmuPages = (vm: Vm): void => {
  let pages = 0;
  for (const s of vm.slots.values()) pages += s.npages;
  vm.mmuPages = Math.max(Math.floor(pages / 50), MIN_ALLOC_MMU_PAGES);
};

/** Overlap is per address space (a slot in SMM space may share GPAs with a normal one). */
const overlapsGpa = (vm: Vm, id: number, gfn: number, npages: number): boolean => {
  for (const s of vm.slots.values()) if (s.id !== id && s.id >>> 16 === id >>> 16 && gfn < s.gfn + s.npages && s.gfn < gfn + npages) return true;
  return false;
};

/** SLOT-10: unbind the gmem range and drop the slot's guest mappings. */
export const deleteSlot = (vm: Vm, slot: Slot): void => {
  vm.slots.delete(slot.id);
  commitMmuPages(vm);
  const g = slot.gmem;
  if (g) {
    const i = g.inode.bindings.findIndex((b) => b.slot === slot);
    if (i >= 0) g.inode.bindings.splice(i, 1);
  }
  if (slot.id >>> 16 === 0) deleteKeys(vm.sptes, slot.gfn, slot.gfn + slot.npages);
};
