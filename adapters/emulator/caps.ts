/**
 * KVM_CHECK_EXTENSION values (spec/vocab/uapi.ts, CRE-12, ENV-1), on /dev/kvm (vm = null) or on a
 * VM of a given type. Unknown capabilities return 0, as on 6.18.
 */
import { CAP, MEMORY_ATTRIBUTE_PRIVATE, VM_TYPE } from '../../spec/vocab/index.js';
import type { Profile } from '../../spec/vocab/index.js';

const KVM_CAP_USER_MEMORY = 3;
const KVM_CAP_NR_MEMSLOTS = 10;

/** kvm_arch_has_private_mem: SW_PROTECTED, SNP and TDX VMs (not SEV / SEV-ES). */
export const hasPrivateMem = (type: number): boolean =>
  type === VM_TYPE.SW_PROTECTED || type === VM_TYPE.SNP || type === VM_TYPE.TDX;

/** Creation flags accepted for a VM type (CRE-2, CRE-12). */
export const gmemFlagsFor = (p: Profile, type: number | null): bigint =>
  type !== null && hasPrivateMem(type) ? p.caps.gmemFlagsPrivateVm : p.caps.gmemFlags;

const inPlaceConversion = (p: Profile): boolean => p.features.conversion && p.variants.convApi !== 'VM-ATTR';

export const capValue = (p: Profile, vmType: number | null, cap: number): number => {
  switch (cap) {
    case KVM_CAP_USER_MEMORY:
    case CAP.USER_MEMORY2:
    case CAP.MEMORY_FAULT_INFO:
      return 1;
    case CAP.GUEST_MEMFD:
      return p.caps.guestMemfd;
    case KVM_CAP_NR_MEMSLOTS:
      return p.caps.nrMemslots;
    case CAP.MULTI_ADDRESS_SPACE:
      // Not built with a single address space (reads 0); /dev/kvm gives the most any VM has.
      if (p.caps.addressSpaces <= 1) return 0;
      return vmType !== null && hasPrivateMem(vmType) ? 1 : p.caps.addressSpaces;
    case CAP.MEMORY_ATTRIBUTES:
      // SHR-3: with in-place conversion the VM-level attribute cap reports 0.
      if (inPlaceConversion(p)) return 0;
      // /dev/kvm: the VM-less answer (non-zero where the generic attribute ioctl is built).
      if (vmType === null) return p.caps.memoryAttributesDevKvm;
      return hasPrivateMem(vmType) ? Number(MEMORY_ATTRIBUTE_PRIVATE) : p.caps.memoryAttributes;
    case CAP.VM_TYPES:
      return p.caps.vmTypes.reduce((m, t) => m | (1 << t), 0);
    case CAP.PRE_FAULT_MEMORY:
      return p.caps.preFault;
    case CAP.MAX_VCPUS:
      return p.caps.maxVcpus;
    case CAP.MAX_VCPU_ID:
      return p.caps.maxVcpuIds;
    case CAP.GUEST_MEMFD_FLAGS:
      // The capability returns an int: only the low 32 flag bits are reportable (S17).
      return Number(BigInt.asUintN(32, gmemFlagsFor(p, vmType)));
    case CAP.GUEST_MEMFD_MEMORY_ATTRIBUTES:
      return inPlaceConversion(p) && p.variants.convApi === 'GMEM-ATTR2' && (vmType === null || hasPrivateMem(vmType))
        ? Number(MEMORY_ATTRIBUTE_PRIVATE) : 0;
    default:
      return 0;
  }
};

/** The capability numbers probe() reports. */
export const PROBED_CAPS: readonly number[] = [
  KVM_CAP_USER_MEMORY, KVM_CAP_NR_MEMSLOTS, ...Object.values(CAP), 246, 247,
];
