/** Slot table helpers shared by region.ts and bind.ts. */
import type { Ctx } from '../ctx.js';
import { withVm } from '../state/update.js';
import type { Slot, SpecState } from '../state/types.js';

type C = Ctx<'setMemoryRegion'>;

/** The slot id (the address-space id in bits 16..31 must be 0 on x86, SLOT-3). */
export const slotId = (op: C['op']): number => op.slot & 0xffff;

export const putSlot = (s: SpecState, vmId: number, id: number, slot: Slot): SpecState => {
  const vm = s.vms.get(vmId)!;
  const slots = new Map(vm.slots);
  slots.set(id, slot);
  return withVm(s, vmId, { ...vm, slots });
};
