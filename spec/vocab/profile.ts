/**
 * A kernel profile: the one explicit value that says which kernel the spec describes. Nothing in
 * spec/ reads ambient configuration; every rule receives the profile. The emulator receives the
 * same value and implements it independently.
 *
 * `caps` are what KVM_CHECK_EXTENSION reports; `features` switch proposed series on; `variants`
 * answer the open design questions (spec/catalogue/questions.ts, one field per P-* question).
 */
export interface Caps {
  /** KVM_CAP_GUEST_MEMFD (234): 0 on a kernel built without CONFIG_KVM_GUEST_MEMFD (no gmem at all, ENV-1). */
  readonly guestMemfd: number;
  /** KVM_CAP_GUEST_MEMFD_FLAGS (244) on /dev/kvm and on a type-0 VM (CRE-2, CRE-12). */
  readonly gmemFlags: bigint;
  /** KVM_CAP_GUEST_MEMFD_FLAGS on VM types with private memory (x86: 1, CRE-12). */
  readonly gmemFlagsPrivateVm: bigint;
  /** VM types KVM_CREATE_VM accepts (KVM_CAP_VM_TYPES bitmask as a list). */
  readonly vmTypes: readonly number[];
  /** KVM_CAP_MEMORY_ATTRIBUTES (233) on a type-0 VM: the attributes such a VM supports. */
  readonly memoryAttributes: number;
  /**
   * KVM_CAP_MEMORY_ATTRIBUTES (233) on /dev/kvm: kvm_supported_mem_attributes(NULL), PRIVATE (8)
   * wherever the generic memory-attribute ioctl is built (CONFIG_KVM_GENERIC_MEMORY_ATTRIBUTES),
   * else 0 (virt/kvm/kvm_main.c, v7.2). Non-zero means KVM_SET_MEMORY_ATTRIBUTES exists on VMs.
   */
  readonly memoryAttributesDevKvm: number;
  /** KVM_CAP_PRE_FAULT_MEMORY (236). */
  readonly preFault: number;
  /** KVM_CAP_NR_MEMSLOTS. */
  readonly nrMemslots: number;
  /** KVM_CAP_MAX_VCPU_ID (128): KVM_MAX_VCPU_IDS, the first vCPU id KVM_CREATE_VCPU refuses (ENV-11). */
  readonly maxVcpuIds: number;
  /** KVM_CAP_MAX_VCPUS (66): how many vCPUs one VM may create (ENV-11). */
  readonly maxVcpus: number;
  /**
   * Memslot address spaces of a VM without private memory: KVM_CAP_MULTI_ADDRESS_SPACE (118) on
   * a type-0 VM. 2 where x86 SMM is built (CONFIG_KVM_SMM; slot ids with bits 16.. = 1 name the
   * SMM address space), else 1 (the cap then reads 0). VMs with private memory have 1
   * (arch/x86/include/asm/kvm_host.h kvm_arch_nr_memslot_as_ids, v7.2).
   */
  readonly addressSpaces: number;
}

export interface Features {
  /** In-place shared<->private conversion on the gmem fd (SHR-2..9, S10 v8). */
  readonly conversion: boolean;
  /** userfaultfd on guest_memfd (UFD-2..8, S13 v2). */
  readonly uffd: boolean;
  /** GUEST_MEMFD_FLAG_NO_DIRECT_MAP (DMAP-1..7, S12 v12). */
  readonly noDirectMap: boolean;
  /** Population by write()/pwrite() (FIO-15, S23). */
  readonly write: boolean;
}

/** One field per open question (spec/catalogue/questions.ts); the comment names it. */
export interface Variants {
  /** P-UFFD-PRIV */ readonly uffdPriv: 'USERFAULT' | 'SIGBUS';
  /** P-DEFAULT-SHARE */ readonly defaultShare: 'INIT_SHARED' | 'INIT_PRIVATE';
  /** P-DMAP-GRAN */ readonly dmapGran: 'MAPPING' | 'FOLIO-LAZY';
  /** P-WRITE */ readonly write: 'NONE' | 'ONCE' | 'MERMAP';
  /** P-CONV-API */ readonly convApi: 'GMEM-ATTR2' | 'GMEM-CONVERT' | 'VM-ATTR';
  /** P-CONV-CONTENT */ readonly convContent: 'PRESERVE' | 'ZERO' | 'UNSPECIFIED';
  /** P-CONV-ATOMIC */ readonly convAtomic: 'ALL-OR-NOTHING' | 'PREFIX-CONVERTED';
  /** P-CONV-PINS */ readonly convPins: 'EAGAIN' | 'BLOCK';
  /** P-ATTR-MISSING */ readonly attrMissing: 'INITIAL' | 'PRIVATE';
  /** P-BIND-OVERLAP */ readonly bindOverlap: 'EINVAL' | 'EEXIST';
  /** P-OFFSET */ readonly offset: 'SIGNED618' | 'UNSIGNED';
  /** P-POL-SCOPE */ readonly polScope: 'VMA' | 'INODE';
  /** P-POL-QUERY */ readonly polQuery: 'DEFAULT' | 'TASK';
  /** P-ILX */ readonly ilx: 'PGOFF' | 'INODE';
  /** P-HUGE-SPLIT */ readonly hugeSplit: 'EAGER' | 'LAZY';
  /** P-MINOR-ZERO */ readonly minorZero: 'CONTINUE-ZEROES' | 'MISSING';
  /** P-UFFD-WP */ readonly uffdWp: 'ACCEPT' | 'REJECT';
  /** P-UFFD-COPY-EOF */ readonly uffdCopyEof: 'ENOMEM' | 'EFAULT';
  /** P-RESERVED */ readonly reserved: 'IGNORED' | 'MUST-BE-ZERO';
  /** P-NODMAP-COCO */ readonly nodmapCoco: 'REJECT' | 'ALLOW';
  /** P-VMA-EXPAND */ readonly vmaExpand: 'ALLOW' | 'DENY';
  /** P-THP-COLLAPSE */ readonly thpCollapse: 'EINVAL' | 'UNPATCHED';
  /** P-GUARD-FILE */ readonly guardFile: 'ALLOW' | 'EINVAL';
  /** P-FLAG-BIT2 */ readonly flagBit2: 'NO_DIRECT_MAP' | 'WRITE' | 'HUGETLB';
  /** P-FSMAGIC */ readonly fsMagic: 'ANON' | 'GMEMFS';
  /** P-MMAP-NOSHARED-GUEST */ readonly mmapNoSharedGuest: 'GUEST-ONLY' | 'REJECT';
  /** P-GUEST-PATH */ readonly guestPath: 'GMEM' | 'UADDR';
  /** P-IOURING-BUFMAX */ readonly iouringBufMax: '1G' | '1T';
  /**
   * P-SHMEM-UFFD-EOF: how userfaultfd fills refuse a shmem (memfd) page at or past EOF.
   * SHMEM-MFILL (≤ 7.1, shmem_mfill_atomic_pte): COPY/ZEROPAGE EFAULT, CONTINUE EINVAL.
   * UFFD-OPS (7.2, vm_uffd_ops): the alloc_folio hook returns NULL, so COPY/ZEROPAGE ENOMEM;
   * CONTINUE's get_folio_noalloc fails, so EFAULT (mm/userfaultfd.c, mm/shmem.c, v7.2).
   */
  readonly shmemUffdEof: 'SHMEM-MFILL' | 'UFFD-OPS';
  /**
   * P-DIO-ALIGN: where O_DIRECT checks the user buffer against the device's DMA alignment.
   * PIN-FIRST (6.18.44, measured): the buffer is pinned (its pages faulted in) before the bio is
   * refused. CHECK-FIRST (7.2, lib/iov_iter.c iov_iter_extract_bvecs): the address is checked before
   * any page is pinned, so a refused buffer leaves the mapping untouched.
   */
  readonly dioAlign: 'PIN-FIRST' | 'CHECK-FIRST';
}

export type VariantKey = keyof Variants;

export interface Profile {
  readonly name: string;
  /** One line: which kernel or series this describes, with the evidence. */
  readonly describes: string;
  readonly caps: Caps;
  readonly numaNodes: number;
  readonly features: Features;
  readonly variants: Variants;
}

/** The §4 name of each variant field, for reports and for `--variant P-X=VALUE`. */
export const VARIANT_NAMES: Readonly<Record<VariantKey, string>> = {
  uffdPriv: 'P-UFFD-PRIV', defaultShare: 'P-DEFAULT-SHARE', dmapGran: 'P-DMAP-GRAN', write: 'P-WRITE',
  convApi: 'P-CONV-API', convContent: 'P-CONV-CONTENT', convAtomic: 'P-CONV-ATOMIC', convPins: 'P-CONV-PINS',
  attrMissing: 'P-ATTR-MISSING', bindOverlap: 'P-BIND-OVERLAP', offset: 'P-OFFSET', polScope: 'P-POL-SCOPE',
  polQuery: 'P-POL-QUERY', ilx: 'P-ILX', hugeSplit: 'P-HUGE-SPLIT', minorZero: 'P-MINOR-ZERO',
  uffdWp: 'P-UFFD-WP', uffdCopyEof: 'P-UFFD-COPY-EOF', reserved: 'P-RESERVED', nodmapCoco: 'P-NODMAP-COCO',
  vmaExpand: 'P-VMA-EXPAND', thpCollapse: 'P-THP-COLLAPSE', guardFile: 'P-GUARD-FILE', flagBit2: 'P-FLAG-BIT2', fsMagic: 'P-FSMAGIC',
  mmapNoSharedGuest: 'P-MMAP-NOSHARED-GUEST', guestPath: 'P-GUEST-PATH', iouringBufMax: 'P-IOURING-BUFMAX', shmemUffdEof: 'P-SHMEM-UFFD-EOF', dioAlign: 'P-DIO-ALIGN',
};

/** Every allowed value of every variant (used by generators of variant profiles and by the CLI). */
export const VARIANT_VALUES: { readonly [K in VariantKey]: readonly Variants[K][] } = {
  uffdPriv: ['USERFAULT', 'SIGBUS'], defaultShare: ['INIT_SHARED', 'INIT_PRIVATE'], dmapGran: ['MAPPING', 'FOLIO-LAZY'],
  write: ['NONE', 'ONCE', 'MERMAP'], convApi: ['GMEM-ATTR2', 'GMEM-CONVERT', 'VM-ATTR'],
  convContent: ['PRESERVE', 'ZERO', 'UNSPECIFIED'], convAtomic: ['ALL-OR-NOTHING', 'PREFIX-CONVERTED'],
  convPins: ['EAGAIN', 'BLOCK'], attrMissing: ['INITIAL', 'PRIVATE'], bindOverlap: ['EINVAL', 'EEXIST'],
  offset: ['SIGNED618', 'UNSIGNED'], polScope: ['VMA', 'INODE'], polQuery: ['DEFAULT', 'TASK'], ilx: ['PGOFF', 'INODE'],
  hugeSplit: ['EAGER', 'LAZY'], minorZero: ['CONTINUE-ZEROES', 'MISSING'], uffdWp: ['ACCEPT', 'REJECT'],
  uffdCopyEof: ['ENOMEM', 'EFAULT'], reserved: ['IGNORED', 'MUST-BE-ZERO'], nodmapCoco: ['REJECT', 'ALLOW'],
  vmaExpand: ['ALLOW', 'DENY'], thpCollapse: ['EINVAL', 'UNPATCHED'], guardFile: ['ALLOW', 'EINVAL'], flagBit2: ['NO_DIRECT_MAP', 'WRITE', 'HUGETLB'],
  fsMagic: ['ANON', 'GMEMFS'], mmapNoSharedGuest: ['GUEST-ONLY', 'REJECT'], guestPath: ['GMEM', 'UADDR'], iouringBufMax: ['1G', '1T'],
  shmemUffdEof: ['SHMEM-MFILL', 'UFFD-OPS'], dioAlign: ['PIN-FIRST', 'CHECK-FIRST'],
};
