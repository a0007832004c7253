/** KVM_CHECK_EXTENSION values (spec/vocab/uapi.ts, CRE-12, ENV-1). */
import { CAP, VM_TYPE, ok, type Profile } from '../vocab/index.js';
import { cases, only, rule } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf } from '../lifetime/handles.js';
import { must, type Steps } from '../run.js';

/** KVM_CAP_NR_MEMSLOTS (include/uapi/linux/kvm.h). */
const CAP_NR_MEMSLOTS = 10;

/** Does a VM type have private memory (x86 kvm_arch_has_private_mem: every type but 0)? */
export const hasPrivateMem = (type: number): boolean => type !== VM_TYPE.DEFAULT;

/** Memslot address spaces of a VM type (SLOT-3): SMM's second one only without private memory. */
export const addressSpaces = (p: Profile, type: number): number => (hasPrivateMem(type) ? 1 : p.caps.addressSpaces);

/** CRE-12: the gmem flags valid for a VM type (null = /dev/kvm, the "no VM" superset). */
export const gmemFlagsFor = (p: Profile, type: number | null): bigint =>
  type === null || !hasPrivateMem(type) ? p.caps.gmemFlags : p.caps.gmemFlagsPrivateVm;

export const checkExtDead = ebadf<Ctx<'checkExtension'>>(({ s, op }) => op.vm !== null && s.vms.get(op.vm)?.fdOpen !== true);

/** CRE-12: cap 244 is VM-type specific; on /dev/kvm it reports the no-VM set. */
export const cre12 = rule<Ctx<'checkExtension'>>({
  id: 'CRE-12',
  cite: 'CRE-12; S17 KVM_CAP_GUEST_MEMFD_FLAGS',
  decide: ({ p, s, op }) => {
    if (op.cap !== BigInt(CAP.GUEST_MEMFD_FLAGS)) return undefined;
    const type = op.vm === null ? null : (s.vms.get(op.vm)?.type ?? 0);
    return only(s, ok(Number(gmemFlagsFor(p, type))));
  },
});

/**
 * ENV-1: every optional behaviour is reported by a capability; the profile holds the values.
 * SHR-3: cap 250 reports PRIVATE (8) only with in-place conversion through the gmem fd.
 */
export const env1 = rule<Ctx<'checkExtension'>>({
  id: 'ENV-1',
  cite: 'ENV-1, SHR-3 (cap 250); include/uapi/linux/kvm.h',
  decide: ({ p, s, op }) => {
    const type = op.vm === null ? null : (s.vms.get(op.vm)?.type ?? 0);
    const v = capValue(p, Number(op.cap), type);
    return v === undefined ? undefined : only(s, ok(v));
  },
});

const capValue = (p: Profile, cap: number, type: number | null): number | undefined => {
  switch (cap) {
    case CAP.USER_MEMORY2: case CAP.MEMORY_FAULT_INFO: return 1;
    case CAP.GUEST_MEMFD: return p.caps.guestMemfd;
    // Per scope (probe record linux-7.2.13-qemu): /dev/kvm answers for no VM (8 where the generic
    // attribute ioctl is built), a VM answers for its own type (0 for type 0).
    case CAP.MEMORY_ATTRIBUTES: return type === null ? p.caps.memoryAttributesDevKvm : p.caps.memoryAttributes;
    case CAP.VM_TYPES: return p.caps.vmTypes.reduce((m, t) => m | (1 << t), 0);
    case CAP.PRE_FAULT_MEMORY: return p.caps.preFault;
    // ENV-11: the vCPU limits KVM_CREATE_VCPU enforces (virt/kvm/kvm_main.c, arch/x86/kvm/x86.c kvm_vm_ioctl_check_extension, v7.2).
    case CAP.MAX_VCPUS: return p.caps.maxVcpus;
    case CAP.MAX_VCPU_ID: return p.caps.maxVcpuIds;
    case CAP.GUEST_MEMFD_NO_DIRECT_MAP_OLD: case 246: case 247: return 0;
    case CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES:
      // PRIVATE is settable only where the VM type has private memory (SHR-3); /dev/kvm: the superset.
      return p.features.conversion && p.variants.convApi === 'GMEM-ATTR2' && (type === null || hasPrivateMem(type)) ? 8 : 0;
    case CAP_NR_MEMSLOTS: return p.caps.nrMemslots;
    // Built only where there is more than one address space; /dev/kvm reports the maximum.
    case CAP.MULTI_ADDRESS_SPACE: return p.caps.addressSpaces > 1 ? (type === null ? p.caps.addressSpaces : addressSpaces(p, type)) : 0;
    default: return undefined;
  }
};

/** GEN-CAP: a capability gmemcheck does not model: 0 or 1, loosely. */
export const capUnknown = rule<Ctx<'checkExtension'>>({
  id: 'GEN-CAP',
  cite: 'virt/kvm/kvm_main.c kvm_vm_ioctl_check_extension_generic',
  decide: ({ s }) =>
    cases([[ok(0), () => s], [ok(1), () => s]], 'capability outside the gmemcheck vocabulary (spec/vocab/uapi.ts CAP)'),
});

/**
 * ENV-10: the capability is the ioctl's long argument and the kernel switches on all of it; every
 * KVM_CAP_* number is small, so a value with any bit from 31 up (bit 32, bit 63, ~0) names no
 * capability and the answer is 0, never the capability its low 32 bits name.
 */
export const env10Cap = rule<Ctx<'checkExtension'>>({
  id: 'ENV-10',
  cite: 'ENV-10; virt/kvm/kvm_main.c kvm_vm_ioctl_check_extension_generic (switch on the long argument), arch/x86/kvm/x86.c kvm_vm_ioctl_check_extension (default 0), v7.2',
  decide: ({ s, op }) => (op.cap >> 31n !== 0n ? only(s, ok(0)) : undefined),
});

export const checkExtChain = [checkExtDead, env10Cap, cre12, env1, capUnknown] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  checkExtension: (p, s, o) => must({ p, s, op: o }, checkExtChain),
} satisfies Steps;
