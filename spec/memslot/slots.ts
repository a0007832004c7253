/** Slot table helpers shared by region.ts and bind.ts. */
import type { Ctx } from '../ctx.js';
import { withVm } from '../state/update.js';
import type { Slot, SlotAddr, SpecState } from '../state/types.js';
import type { UserAddr } from '../vocab/index.js';

type C = Ctx<'setMemoryRegion'>;

/**
 * The slot's key in Vm.slots: the whole 32-bit slot number, address-space id (bits 16..31) and
 * slot id (bits 0..15), since each address space has its own slots (SLOT-3).
 */
export const slotId = (op: C['op']): number => op.slot >>> 0;

/** The address space of a slot key (0: what vCPUs outside SMM use). */
export const asOf = (key: number): number => key >>> 16;

export const putSlot = (s: SpecState, vmId: number, id: number, slot: Slot): SpecState => {
  const vm = s.vms.get(vmId)!;
  const slots = new Map(vm.slots);
  slots.set(id, slot);
  return withVm(s, vmId, { ...vm, slots, mmuSized: true });
};

/**
 * The address a request's userspace_addr names in state s. A mapping's address is fixed by its
 * handle once its mmap succeeded, even after munmap; before that the harness passes the bare
 * offset (spec/vocab/CONVENTIONS.md), so the same request can name another address later.
 */
export const slotAddr = (s: SpecState, u: UserAddr): SlotAddr =>
  u.kind === 'map' ? (s.mapped.has(u.map) ? { kind: 'map', map: u.map, offset: u.offset } : { kind: 'raw', addr: u.offset })
    : { kind: 'raw', addr: 0n }; // 'unaligned' never gets this far (SLOT-3)

export const slotAddrEq = (a: SlotAddr, b: SlotAddr): boolean =>
  a.kind === 'map' ? b.kind === 'map' && a.map === b.map && a.offset === b.offset : b.kind === 'raw' && a.addr === b.addr;
