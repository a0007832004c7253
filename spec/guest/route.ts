/**
 * Which backing serves a guest access (SLOT-13, P-GUEST-PATH, ENV-4): upstream KVM serves a
 * gmem-only slot (file with MMAP) and private accesses from guest_memfd; everything else, and
 * every access under kvm_pvm (UADDR), goes through the slot's userspace_addr.
 */
import type { Profile } from '../vocab/index.js';
import type { Slot, SpecState, Vm } from '../state/types.js';
import { hasPrivateMem } from '../creation/caps.js';
import { isShared } from '../shareability/shared.js';

export type Route =
  | { readonly kind: 'none' }
  | { readonly kind: 'gmem'; readonly slot: Slot; readonly fp: number }
  | { readonly kind: 'uaddr'; readonly slot: Slot; readonly delta: bigint };

/** The address-space-0 slot holding a GFN (a vCPU outside SMM sees only address space 0). */
export const findSlot = (vm: Vm, gfn: number): Slot | undefined => {
  for (const [k, sl] of vm.slots) if (k >>> 16 === 0 && gfn >= sl.gfn && gfn < sl.gfn + sl.npages) return sl;
  return undefined;
};

export const routeOf = (p: Profile, s: SpecState, vm: Vm, gpa: bigint): Route => {
  const gfn = Number(gpa >> 12n);
  const slot = findSlot(vm, gfn);
  if (slot === undefined) return { kind: 'none' };
  const delta = gpa - BigInt(slot.gfn) * 4096n;
  if (p.variants.guestPath === 'UADDR' || slot.gmem === null) return { kind: 'uaddr', slot, delta };
  const fp = slot.gmem.pgoff + (gfn - slot.gfn);
  const ino = s.inodes.get(slot.gmem.inode);
  // A gmem-only slot keeps the gmem route after its file is gone (SLOT-11: memory-fault exit).
  if (slot.gmem.gmemOnly) return { kind: 'gmem', slot, fp };
  const privateAccess = hasPrivateMem(vm.type) && (ino === undefined || !isShared(p, ino, fp));
  return privateAccess ? { kind: 'gmem', slot, fp } : { kind: 'uaddr', slot, delta };
};
