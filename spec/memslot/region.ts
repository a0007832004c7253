/**
 * The slot-level half of KVM_SET_USER_MEMORY_REGION2: delete (SLOT-10), modify (SLOT-9, plain
 * slots GEN-SLOT-PLAIN), GPA overlap (SLOT-8), then create (plain, or a gmem bind: ./bind.ts).
 */
import { MEM, err, ok } from '../vocab/index.js';
import { fact, only, rule, andThen } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { imSet } from '../state/imap.js';
import { withInode, withVm } from '../state/update.js';
import type { SpecState, Vm } from '../state/types.js';
import { bindGmem } from './bind.js';
import { asOf, putSlot, slotAddr, slotAddrEq, slotId } from './slots.js';
import { must, type Steps } from '../run.js';
import { slotArgChain } from './checks.js';

type C = Ctx<'setMemoryRegion'>;

const vmOf = (c: C): Vm => c.s.vms.get(c.op.vm)!;

/** Remove a slot; a gmem slot's file range becomes bindable again, its guest mappings go. */
export const deleteSlot = (s: SpecState, vmId: number, id: number): SpecState => {
  const vm = s.vms.get(vmId)!;
  const slot = vm.slots.get(id)!;
  const slots = new Map(vm.slots);
  slots.delete(id);
  // Guest mappings (sptes) are those of address space 0, the only one a vCPU outside SMM uses.
  const sptes = asOf(id) === 0 ? imSet(vm.sptes, slot.gfn, slot.gfn + slot.npages, undefined) : vm.sptes;
  let out = withVm(s, vmId, { ...vm, slots, sptes, mmuSized: true });
  const ino = slot.gmem === null ? undefined : out.inodes.get(slot.gmem.inode);
  if (ino !== undefined && slot.gmem !== null) {
    out = withInode(out, { ...ino, bindings: imSet(ino.bindings, slot.gmem.pgoff, slot.gmem.pgoff + slot.npages, undefined) });
  }
  return out;
};

/** SLOT-10: size 0 deletes; a missing slot → EINVAL; gmem fields of a delete are not checked. */
export const slot10 = rule<C>({
  id: 'SLOT-10',
  cite: 'SLOT-10; S1 kvm_gmem_unbind; virt/kvm/kvm_main.c kvm_set_memory_region (obs:MS-57..63)',
  decide: (c) => {
    if (c.op.size !== 0n) return undefined;
    const id = slotId(c.op);
    return vmOf(c).slots.has(id) ? andThen(ok(), () => deleteSlot(c.s, c.op.vm, id)) : only(c.s, err('EINVAL'));
  },
});

/** SLOT-9: a gmem slot is immutable, and no slot may gain or lose GUEST_MEMFD. */
export const slot9 = rule<C>({
  id: 'SLOT-9',
  cite: 'SLOT-9; S16 ("Disallow toggling KVM_MEM_GUEST_MEMFD", 6.18.3) (obs:MS-50..56)',
  decide: (c) => {
    const old = vmOf(c).slots.get(slotId(c.op));
    if (old === undefined) return undefined;
    return ((c.op.flags | old.flags) & MEM.GUEST_MEMFD) !== 0 ? only(c.s, err('EINVAL')) : undefined;
  },
});

export const slot8Fact = fact('SLOT-8', 'SLOT-8; virt/kvm/kvm_main.c kvm_check_memslot_overlap (obs:MS-07)');

/** GEN-SLOT-PLAIN: re-issue unchanged → 0; move or LOG_DIRTY toggle allowed; other changes EINVAL. */
export const slotPlain = rule<C>({
  id: 'GEN-SLOT-PLAIN',
  cite: 'virt/kvm/kvm_main.c kvm_set_memory_region (modify an existing slot)',
  decide: (c) => {
    const { s, op } = c;
    const old = vmOf(c).slots.get(slotId(op));
    if (old === undefined) return undefined;
    const npages = Number(op.size >> 12n);
    if (!slotAddrEq(old.uaddr, slotAddr(s, op.uaddr)) || npages !== old.npages || ((op.flags ^ old.flags) & MEM.READONLY) !== 0) return only(s, err('EINVAL'));
    const gfn = Number(op.gpa >> 12n);
    if (gfn !== old.gfn && overlaps(vmOf(c), slotId(op), gfn, npages)) return only(s, err('EEXIST'), [slot8Fact]);
    if (gfn === old.gfn && op.flags === old.flags) return only(s, ok());
    return andThen(ok(), () => putSlot(s, op.vm, slotId(op), { ...old, gfn, flags: op.flags }));
  },
});

/** SLOT-8 within one address space (kvm_check_memslot_overlap looks at the slot's own memslots). */
export const overlaps = (vm: Vm, id: number, gfn: number, npages: number): boolean => {
  for (const [k, sl] of vm.slots) if (k !== id && asOf(k) === asOf(id) && sl.gfn < gfn + npages && gfn < sl.gfn + sl.npages) return true;
  return false;
};


/** SLOT-8: a new slot overlapping another slot's GPAs → EEXIST (before the gmem is looked up). */
export const slot8 = rule<C>({
  id: 'SLOT-8',
  cite: 'SLOT-8; virt/kvm/kvm_main.c kvm_check_memslot_overlap (obs:MS-07)',
  decide: (c) =>
    overlaps(vmOf(c), slotId(c.op), Number(c.op.gpa >> 12n), Number(c.op.size >> 12n)) ? only(c.s, err('EEXIST')) : undefined,
});

/** A plain slot is created as asked (gmem fields ignored without the flag, obs:MS-46). */
export const slotCreatePlain = rule<C>({
  id: 'SLOT-3',
  cite: 'SLOT-3, §1.2 (gmem fields ignored without KVM_MEM_GUEST_MEMFD, obs:MS-46)',
  decide: ({ s, op }) =>
    (op.flags & MEM.GUEST_MEMFD) !== 0 && !op.v1
      ? undefined
      : andThen(ok(), () => putSlot(s, op.vm, slotId(op), { gfn: Number(op.gpa >> 12n), npages: Number(op.size >> 12n), flags: op.flags, uaddr: slotAddr(s, op.uaddr), gmem: null })),
});

export const slotStateChain = [slot10, slot9, slotPlain, slot8, slotCreatePlain, ...bindGmem] as const;

const SLOT_CHAIN = [...slotArgChain, ...slotStateChain];

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  setMemoryRegion: (p, s, o) => must({ p, s, op: o }, SLOT_CHAIN),
} satisfies Steps;
