/**
 * KVM_SET_USER_MEMORY_REGION2 with its pad words filled (SLOT-20). kvm_vm_ioctl copies the whole
 * 160-byte struct and kvm_set_memory_region / kvm_set_memslot / kvm_gmem_bind read only the named
 * fields: pad1 and pad2[14] are never looked at, so the call answers — and changes the slots — as
 * the same call with zero pads does. The answer is the setMemoryRegion chain's (SLOT-*), with
 * SLOT-20 named beside it.
 */
import type { OpOf } from '../vocab/index.js';
import type { Verdict } from '../verdict.js';
import type { SpecState } from '../state/types.js';
import { fact } from '../rule.js';
import type { Handler, Steps } from '../run.js';
import { steps as region } from './region.js';

export const slot20 = fact(
  'SLOT-20',
  'SLOT-20; virt/kvm/kvm_main.c kvm_vm_ioctl (KVM_SET_USER_MEMORY_REGION2: copy_from_user of the whole struct), kvm_set_memory_region, kvm_set_memslot (no pad read), virt/kvm/guest_memfd.c kvm_gmem_bind, v6.18 and v7.2',
);

/** The op as the zero-padded v2 setMemoryRegion it is equivalent to. */
export const asPlainRegion = (o: OpOf<'setMemoryRegionPad'>): OpOf<'setMemoryRegion'> => ({
  kind: 'setMemoryRegion', vm: o.vm, v1: false, slot: o.slot, flags: o.flags, gpa: o.gpa, size: o.size, uaddr: o.uaddr, gmem: o.gmem, gmemOffset: o.gmemOffset,
});

const setMemoryRegionPad: Handler<'setMemoryRegionPad'> = (p, s, o): Verdict<SpecState> => {
  const inner = region.setMemoryRegion(p, s, asPlainRegion(o));
  const padded = o.pad1 !== 0 || o.pad2.some((w) => w !== 0n);
  return padded ? { ...inner, rules: [...inner.rules, slot20.id] } : inner;
};

export const steps = { setMemoryRegionPad } satisfies Steps;
