/**
 * Guest accesses (SLOT-13/14, LVL-1/2). P-GUEST-PATH=GMEM is upstream KVM: gmem-only slots and
 * private accesses are served from guest_memfd (allocating and zeroing like kvm_gmem_get_pfn),
 * at 4K; other accesses go through userspace_addr. P-GUEST-PATH=UADDR is kvm_pvm: every access
 * goes through userspace_addr by instruction emulation and no SPTE is ever created.
 */
import { err, ok, PROT } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { pageProt } from '../prot.js';
import { hasPrivateMem } from '../caps.js';
import { hostFault, readByte, writeByte } from '../fault.js';
import { asU64, P } from '../i64.js';
import { dmapOnUse, grab, makeUptodate, noDirectMap } from '../pagecache.js';
import { hostShared } from '../share.js';
import type { Folio, Slot, Vm } from '../state.js';

/** The vCPU runs outside SMM: only address-space-0 slots serve it. */
const findSlot = (vm: Vm, gfn: number): Slot | undefined => {
  for (const s of vm.slots.values()) if (s.id >>> 16 === 0 && gfn >= s.gfn && gfn < s.gfn + s.npages) return s;
  return undefined;
};

export const guestAccess = (k: Kernel, op: OpOf<'guestAccess'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  return accessIn(k, vm, op);
};

/** A one-byte guest access in a VM (also KVM_PRE_FAULT_MEMORY's fault-in: a read through the same path). */
export const accessIn = (k: Kernel, vm: Vm, op: { readonly gpa: bigint; readonly write: boolean; readonly value: number }): Outcome => {
  const gpa = asU64(op.gpa);
  const gfn = Number(gpa / P);
  const slot = findSlot(vm, gfn);
  if (!slot) return { kind: 'exit', reason: 'MMIO', gpa };
  const r = k.profile.variants.guestPath === 'UADDR' ? viaUaddr(k, slot, gfn, op.write) : viaKvm(k, vm, slot, gfn, gpa, op.write);
  if (!('folio' in r)) return r;
  const off = Number(gpa % P);
  if (op.write) writeByte(r.folio, off, op.value);
  return ok({ value: op.write ? op.value & 0xff : readByte(r.folio, off) });
};

type Served = { readonly folio: Folio } | Outcome;

/** KVM_EXIT_MEMORY_FAULT reports the page-aligned GPA. */
const memoryFault = (gfn: number, isPrivate: boolean): Outcome => ({ kind: 'exit', reason: 'MEMORY_FAULT', gpa: BigInt(gfn) * P, private: isPrivate });

/** Upstream: private or gmem-only → guest_memfd; shared non-gmem-only → userspace_addr. */
const viaKvm = (k: Kernel, vm: Vm, slot: Slot, gfn: number, gpa: bigint, write: boolean): Served => {
  const isPrivate = vmSeesPrivate(k, vm, slot, gfn);
  const g = slot.gmem;
  if (g && (isPrivate || g.gmemOnly)) {
    // kvm_gmem_get_pfn on a released file → -EFAULT with a memory-fault exit (SLOT-11).
    if (g.inode.released) return memoryFault(gfn, isPrivate);
    const page = g.pgoff + (gfn - slot.gfn);
    const folio = grab(k, g.inode, page);
    makeUptodate(folio);
    dmapOnUse(k, g.inode, folio);
    vm.sptes.set(gfn, k.bug('lvl-from-host') && hostHuge(k, slot, gfn) ? 2 : 1);
    return { folio };
  }
  if (isPrivate) return memoryFault(gfn, true);
  // SLOT-28: hva_to_pfn takes the page behind userspace_addr with GUP, which a NO_DIRECT_MAP
  // file's mapping refuses (DMAP-5): EFAULT, as for a bad hva. (The zoo's bug lets GUP through.)
  const behind = slot.uaddr.kind === 'map' ? k.liveMap(slot.uaddr.map) : undefined;
  if (behind && noDirectMap(k, behind.inode) && !k.bug('guest-uaddr-ndm-gup')) return err('EFAULT');
  const r = viaUaddr(k, slot, gfn, write);
  // A shared fault on a bad hva: GUP fails, KVM_RUN returns EFAULT with no exit information
  // (kvm_handle_error_pfn, arch/x86/kvm/mmu/mmu.c v7.2; measured on Debian 7.2.13).
  if (!('folio' in r)) return err('EFAULT');
  vm.sptes.set(gfn, 1);
  return r;
};

/**
 * Is the access private? Type-0 VMs have no private memory. With in-place conversion the gmem
 * attribute decides; with VM-ATTR the VM's attribute does.
 */
const vmSeesPrivate = (k: Kernel, vm: Vm, slot: Slot, gfn: number): boolean => {
  if (!hasPrivateMem(vm.type)) return false;
  const g = slot.gmem;
  if (k.profile.features.conversion && k.profile.variants.convApi !== 'VM-ATTR' && g) {
    return !hostShared(k, g.inode, g.pgoff + (gfn - slot.gfn));
  }
  return vm.attrs.get(gfn) ?? false;
};

/** The host mapping behind userspace_addr; failures end the run (kvm_pvm: INTERNAL_ERROR, obs:ST-16). */
const viaUaddr = (k: Kernel, slot: Slot, gfn: number, write: boolean): Served => {
  const fail: Outcome = { kind: 'exit', reason: 'INTERNAL_ERROR' };
  if (slot.uaddr.kind !== 'map') return fail;
  const m = k.liveMap(slot.uaddr.map);
  const off = asU64(slot.uaddr.offset) + BigInt(gfn - slot.gfn) * P;
  if (!m || off >= BigInt(m.npages) * P) return fail;
  // KVM takes the page with GUP (virt/kvm/kvm_main.c hva_to_pfn): a write needs a writable VMA
  // (FOLL_WRITE), a read an accessible one (PROT_NONE fails; on x86 write and exec imply read).
  if (!(pageProt(m, Number(off / P)) & (write ? PROT.WRITE : PROT.READ | PROT.WRITE | PROT.EXEC))) return fail;
  // KVM reads guest memory from the kernel: a userfault there fails (user-mode-only contexts).
  const r = hostFault(k, m, Number(off / P), false, true);
  return r.kind === 'mapped' ? { folio: r.folio } : fail;
};

const hostHuge = (k: Kernel, slot: Slot, gfn: number): boolean => {
  if (slot.uaddr.kind !== 'map') return false;
  const m = k.liveMap(slot.uaddr.map);
  return !!m && m.hugepage.has(Number(asU64(slot.uaddr.offset) / P) + (gfn - slot.gfn));
};

/** LVL-2: gmem folios are order-0, so a mapped GPA is at level 1; UADDR (PVM) never maps any. */
export const guestMapLevel = (k: Kernel, op: OpOf<'guestMapLevel'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  return ok({ level: vm.sptes.get(Number(asU64(op.gpa) / P)) ?? 0 });
};
