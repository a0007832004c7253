/**
 * linux-6.18: the kernel on the machines this project runs on (6.18.44, kvm_pvm, x86-64, one NUMA
 * node), as measured and recorded in docs/probe-records/linux-6.18.44-pvm.md.
 * Every value below that departs from `upstream` carries the evidence.
 */
import type { Profile } from '../vocab/index.js';

export const linux618: Profile = {
  name: 'linux-6.18',
  describes: 'Linux 6.18.44 with kvm_pvm (docs/probe-records/linux-6.18.44-pvm.md)',
  caps: {
    guestMemfd: 1, // cap 234 (obs:CAP-*)
    gmemFlags: 3n, // cap 244 = MMAP|INIT_SHARED on /dev/kvm and type 0 (obs:CAP-11 (CRE-12))
    gmemFlagsPrivateVm: 1n, // CRE-12: private-memory VM types report MMAP only
    vmTypes: [0], // obs:VM-02..11: KVM_CREATE_VM(type≠0) → EINVAL
    memoryAttributes: 0, // obs:CAP-*: cap 233 = 0, KVM_SET_MEMORY_ATTRIBUTES → ENOTTY
    memoryAttributesDevKvm: 0, // obs:CAP-*: cap 233 = 0 on /dev/kvm too (no generic attributes built)
    preFault: 0, // obs:CAP-09
    nrMemslots: 32764, // obs:MS-47..49
    maxVcpuIds: 4096, // obs:VC-01 (cap 128)
    maxVcpus: 1024, // obs:VC-01 (cap 66)
    addressSpaces: 1, // slot ids with address space 1 → EINVAL; cap 118 reads 0 (kvm_pvm builds no SMM)
  },
  numaNodes: 1,
  features: { conversion: false, uffd: false, noDirectMap: false, write: false },
  variants: {
    uffdPriv: 'SIGBUS',
    defaultShare: 'INIT_SHARED',
    dmapGran: 'FOLIO-LAZY',
    write: 'NONE', // FIO-1: pwrite → ESPIPE (obs:FO-P-01..07)
    convApi: 'GMEM-ATTR2',
    convContent: 'PRESERVE',
    convAtomic: 'ALL-OR-NOTHING',
    convPins: 'EAGAIN',
    attrMissing: 'INITIAL',
    bindOverlap: 'EINVAL', // SLOT-7: obs:MS-04..06: the 7.2 EEXIST change is not backported
    offset: 'SIGNED618', // SLOT-6: S1 uses loff_t
    polScope: 'VMA', // POL-1′: obs:MP-G-10..24: no set_policy/get_policy vm_ops on 6.18
    polQuery: 'DEFAULT', // POL-2: obs:MP-T01..04
    ilx: 'PGOFF',
    hugeSplit: 'EAGER',
    minorZero: 'CONTINUE-ZEROES',
    uffdWp: 'REJECT',
    uffdCopyEof: 'ENOMEM',
    reserved: 'IGNORED', // CRE-6: obs:CR-R01..08
    nodmapCoco: 'REJECT',
    vmaExpand: 'ALLOW', // MAP-10: obs:HF-40..47
    thpCollapse: 'EINVAL', // MAP-8: obs:MM-51
    guardFile: 'ALLOW', // MAP-30: file-backed guard regions since v6.15; measured on 6.18.44 (memfd)
    flagBit2: 'NO_DIRECT_MAP',
    fsMagic: 'ANON', // obs:FD-04
    mmapNoSharedGuest: 'GUEST-ONLY', // obs:MS-02
    guestPath: 'UADDR', // SLOT-13: obs:ST-12/62: kvm_pvm serves guest accesses from userspace_addr
    iouringBufMax: '1G', // MAP-36: obs:PIN-02 (2^40 and 2^40 + 1 bytes: EFAULT)
    shmemUffdEof: 'SHMEM-MFILL', // mm/shmem.c shmem_mfill_atomic_pte (6.18); random native runs here agree
    dioAlign: 'PIN-FIRST', // MAP-32: a refused misaligned O_DIRECT buffer was pinned first (obs:DIO-08, dioMisalignedPins = true)
  },
};

/**
 * linux-6.18-nogmem: the same kernel built without CONFIG_KVM_GUEST_MEMFD (the development host
 * since build 1300): cap 234 and cap 244 are 0, KVM_CREATE_GUEST_MEMFD is ENOTTY and a memslot
 * asking for KVM_MEM_GUEST_MEMFD is EINVAL. Only the memfd control backing can be tested on it
 * (docs/probe-records/linux-6.18.44-nogmem.md records the measurements).
 */
export const linux618NoGmem: Profile = {
  ...linux618,
  name: 'linux-6.18-nogmem',
  describes: 'Linux 6.18.44 built without CONFIG_KVM_GUEST_MEMFD: no guest_memfd, the memfd control backing only (docs/probe-records/linux-6.18.44-nogmem.md)',
  caps: { ...linux618.caps, guestMemfd: 0, gmemFlags: 0n, gmemFlagsPrivateVm: 0n },
};
