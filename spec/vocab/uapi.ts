/**
 * Kernel uAPI constants: the only copy in the project. The system headers here are too old for
 * the guest_memfd uAPI, so the numbers are defined here, each with its upstream source, and the
 * C side gets them generated from this file (./uapi-c.ts renders adapters/native/src/gm_uapi.h,
 * which the addon compiles and every reproducer embeds; a test fails when the header is stale).
 * Syscall numbers, errno values, PROT/MAP/MADV macros and signal numbers on the C side are the
 * C library's own.
 */

/** kvm_create_guest_memfd.flags (include/uapi/linux/kvm.h GUEST_MEMFD_FLAG_*; bit 2 per P-FLAG-BIT2). */
export const GMEM_FLAG = { MMAP: 1n << 0n, INIT_SHARED: 1n << 1n, BIT2: 1n << 2n } as const;

/** KVM_CHECK_EXTENSION numbers (include/uapi/linux/kvm.h KVM_CAP_*; 250 from the in-place conversion series). */
export const CAP = {
  USER_MEMORY2: 231, MEMORY_FAULT_INFO: 232, MEMORY_ATTRIBUTES: 233, GUEST_MEMFD: 234, VM_TYPES: 235,
  MAX_VCPUS: 66, MAX_VCPU_ID: 128, PRE_FAULT_MEMORY: 236, GUEST_MEMFD_FLAGS: 244, MULTI_ADDRESS_SPACE: 118, GUEST_MEMFD_NO_DIRECT_MAP_OLD: 245, GUEST_MEMFD_MEMORY_ATTRIBUTES: 250,
} as const;

/** Memslot flags (include/uapi/linux/kvm.h KVM_MEM_*). */
export const MEM = { LOG_DIRTY_PAGES: 1 << 0, READONLY: 1 << 1, GUEST_MEMFD: 1 << 2 } as const;

/** fallocate modes (include/uapi/linux/falloc.h). */
export const FALLOC = {
  KEEP_SIZE: 0x01, PUNCH_HOLE: 0x02, NO_HIDE_STALE: 0x04, COLLAPSE_RANGE: 0x08, ZERO_RANGE: 0x10,
  INSERT_RANGE: 0x20, UNSHARE_RANGE: 0x40, WRITE_ZEROES: 0x80,
} as const;

/** mmap prot bits (include/uapi/asm-generic/mman-common.h). */
export const PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4 } as const;

/** Mempolicy modes and flags (include/uapi/linux/mempolicy.h). */
export const MPOL = {
  DEFAULT: 0, PREFERRED: 1, BIND: 2, INTERLEAVE: 3, LOCAL: 4, PREFERRED_MANY: 5, WEIGHTED_INTERLEAVE: 6,
} as const;
export const MPOL_MF = { STRICT: 1 << 0, MOVE: 1 << 1, MOVE_ALL: 1 << 2 } as const;
/** get_mempolicy flags. */
export const MPOL_F = { NODE: 1 << 0, ADDR: 1 << 1 } as const;

/** madvise advice (include/uapi/asm-generic/mman-common.h). */
export const MADV = {
  NORMAL: 0, RANDOM: 1, SEQUENTIAL: 2, WILLNEED: 3, DONTNEED: 4, FREE: 8, REMOVE: 9, DONTFORK: 10, DOFORK: 11,
  MERGEABLE: 12, UNMERGEABLE: 13, HUGEPAGE: 14, NOHUGEPAGE: 15, DONTDUMP: 16, DODUMP: 17, WIPEONFORK: 18, KEEPONFORK: 19,
  COLD: 20, PAGEOUT: 21, POPULATE_READ: 22, POPULATE_WRITE: 23, DONTNEED_LOCKED: 24, COLLAPSE: 25,
  // Guard markers (MAP-30): a PTE marker that makes every access to the page fault with SIGSEGV.
  GUARD_INSTALL: 102, GUARD_REMOVE: 103,
  // Values no kernel knows (madvise_behavior_valid: EINVAL): a gap, the first past COLLAPSE, the
  // first past GUARD_REMOVE, and bit 31 (the advice is an int). HWPOISON/SOFT_OFFLINE (100, 101)
  // are left out on purpose: root only and irreversible.
  UNKNOWN_5: 5, UNKNOWN_26: 26, UNKNOWN_104: 104, UNKNOWN_BIT31: -0x80000000,
} as const;
/** msync flags (include/uapi/asm-generic/mman-common.h). */
export const MS = { ASYNC: 1, INVALIDATE: 2, SYNC: 4 } as const;
/** mlock2 flags (include/uapi/asm-generic/mman-common.h). */
export const MLOCK_FLAG = { ONFAULT: 1 } as const;

/** userfaultfd registration modes and features (include/uapi/linux/userfaultfd.h): __u64 words, so bigints. */
export const UFFD_MODE = { MISSING: 1n << 0n, WP: 1n << 1n, MINOR: 1n << 2n } as const;
export const UFFD_FEATURE = {
  EVENT_FORK: 1n << 1n, EVENT_REMAP: 1n << 2n, EVENT_REMOVE: 1n << 3n, MISSING_SHMEM: 1n << 5n, EVENT_UNMAP: 1n << 6n,
  THREAD_ID: 1n << 8n, MINOR_SHMEM: 1n << 10n, WP_ASYNC: 1n << 15n, MOVE: 1n << 16n,
} as const;
/**
 * The features a uffd monitor that is also the only thread doing accesses can serve. The four
 * non-cooperative events make the thread that caused them (fork, mremap, madvise(DONTNEED/REMOVE),
 * munmap) wait until the monitor has read the event; here that thread is the monitor itself, so it
 * would never wake. Every other bit up to MOVE only changes how faults are reported or resolved.
 */
export const UFFD_FEATURES_SERVABLE =
  ((1n << 17n) - 1n) & ~(UFFD_FEATURE.EVENT_FORK | UFFD_FEATURE.EVENT_REMAP | UFFD_FEATURE.EVENT_REMOVE | UFFD_FEATURE.EVENT_UNMAP);
/** uffdio_move.mode bits (include/uapi/linux/userfaultfd.h, Linux 6.8+): a __u64, so bigints. */
export const UFFDIO_MOVE_MODE = { DONTWAKE: 1n << 0n, ALLOW_SRC_HOLES: 1n << 1n } as const;
/** uffdio_writeprotect.mode bits (include/uapi/linux/userfaultfd.h): a __u64, so bigints. */
export const UFFDIO_WRITEPROTECT_MODE = { WP: 1n << 0n, DONTWAKE: 1n << 1n } as const;
/** UFFD_PAGEFAULT_FLAG_* in a uffd_msg. */
export const UFFD_PAGEFAULT_FLAG = { WRITE: 1 << 0, WP: 1 << 1, MINOR: 1 << 2 } as const;

/** VM types (include/uapi/linux/kvm.h KVM_X86_*_VM). */
export const VM_TYPE = { DEFAULT: 0, SW_PROTECTED: 1, SEV: 2, SEV_ES: 3, SNP: 4, TDX: 5 } as const;

/** KVM_MEMORY_ATTRIBUTE_PRIVATE (include/uapi/linux/kvm.h). */
export const MEMORY_ATTRIBUTE_PRIVATE = 1n << 3n;

/** Mode bits reported by fstat (S_IFREG | 0600). */
export const GMEM_ST_MODE = 0o100600;

/** x86-64 signal numbers and si_codes (include/uapi/asm-generic/signal.h, siginfo.h). */
export const SIGNAL = { SIGBUS: 7, SIGSEGV: 11 } as const;
export const SI_CODE = { BUS_ADRERR: 2, BUS_OBJERR: 3, BUS_MCEERR_AR: 4, SEGV_MAPERR: 1, SEGV_ACCERR: 2 } as const;

// --- C structures and ioctl numbers --------------------------------------------------------

/** A C field: its type and, for arrays, the element count. */
export type CType = 'u8' | 'u16' | 'u32' | 'u64' | 's64' | `struct ${string}`;
export interface CStruct {
  readonly fields: readonly (readonly [name: string, type: CType, count?: number])[];
  /** sizeof as the kernel defines it (x86-64, no implicit padding); checked at C compile time. */
  readonly size: number;
  readonly cite: string;
}

/** The structures the project passes to the kernel, x86-64 layout. */
export const STRUCTS = {
  kvm_create_guest_memfd: { fields: [['size', 'u64'], ['flags', 'u64'], ['reserved', 'u64', 6]], size: 64, cite: 'include/uapi/linux/kvm.h' },
  kvm_userspace_memory_region2: {
    fields: [['slot', 'u32'], ['flags', 'u32'], ['guest_phys_addr', 'u64'], ['memory_size', 'u64'], ['userspace_addr', 'u64'],
      ['guest_memfd_offset', 'u64'], ['guest_memfd', 'u32'], ['pad1', 'u32'], ['pad2', 'u64', 14]],
    size: 160, cite: 'include/uapi/linux/kvm.h (its first 32 bytes are struct kvm_userspace_memory_region)',
  },
  kvm_memory_attributes: { fields: [['address', 'u64'], ['size', 'u64'], ['attributes', 'u64'], ['flags', 'u64']], size: 32, cite: 'include/uapi/linux/kvm.h' },
  kvm_memory_attributes2: {
    fields: [['offset', 'u64'], ['size', 'u64'], ['attributes', 'u64'], ['flags', 'u64'], ['error_offset', 'u64'], ['reserved', 'u64', 11]],
    size: 128, cite: 'in-place conversion series v8, include/uapi/linux/kvm.h',
  },
  kvm_gmem_convert: { fields: [['offset', 'u64'], ['size', 'u64'], ['error_offset', 'u64'], ['reserved', 'u64', 5]], size: 64, cite: 'guest_memfd shareability RFC v2, include/uapi/linux/kvm.h' },
  kvm_dirty_log: { fields: [['slot', 'u32'], ['padding1', 'u32'], ['dirty_bitmap', 'u64']], size: 16, cite: 'include/uapi/linux/kvm.h (dirty_bitmap: a union of the user pointer and a __u64)' },
  kvm_clear_dirty_log: { fields: [['slot', 'u32'], ['num_pages', 'u32'], ['first_page', 'u64'], ['dirty_bitmap', 'u64']], size: 24, cite: 'include/uapi/linux/kvm.h (dirty_bitmap: a union of the user pointer and a __u64)' },
  kvm_pre_fault_memory: { fields: [['gpa', 'u64'], ['size', 'u64'], ['flags', 'u64'], ['padding', 'u64', 5]], size: 64, cite: 'include/uapi/linux/kvm.h' },
  uffdio_api: { fields: [['api', 'u64'], ['features', 'u64'], ['ioctls', 'u64']], size: 24, cite: 'include/uapi/linux/userfaultfd.h' },
  uffdio_range: { fields: [['start', 'u64'], ['len', 'u64']], size: 16, cite: 'include/uapi/linux/userfaultfd.h' },
  uffdio_register: { fields: [['range', 'struct uffdio_range'], ['mode', 'u64'], ['ioctls', 'u64']], size: 32, cite: 'include/uapi/linux/userfaultfd.h' },
  uffdio_copy: { fields: [['dst', 'u64'], ['src', 'u64'], ['len', 'u64'], ['mode', 'u64'], ['copy', 's64']], size: 40, cite: 'include/uapi/linux/userfaultfd.h' },
  uffdio_zeropage: { fields: [['range', 'struct uffdio_range'], ['mode', 'u64'], ['zeropage', 's64']], size: 32, cite: 'include/uapi/linux/userfaultfd.h' },
  uffdio_continue: { fields: [['range', 'struct uffdio_range'], ['mode', 'u64'], ['mapped', 's64']], size: 32, cite: 'include/uapi/linux/userfaultfd.h' },
  uffdio_writeprotect: { fields: [['range', 'struct uffdio_range'], ['mode', 'u64']], size: 24, cite: 'include/uapi/linux/userfaultfd.h' },
  uffdio_move: { fields: [['dst', 'u64'], ['src', 'u64'], ['len', 'u64'], ['mode', 'u64'], ['move', 's64']], size: 40, cite: 'include/uapi/linux/userfaultfd.h (Linux 6.8+)' },
  uffd_msg: {
    fields: [['event', 'u8'], ['reserved1', 'u8'], ['reserved2', 'u16'], ['reserved3', 'u32'], ['flags', 'u64'], ['address', 'u64'], ['ptid', 'u64']],
    size: 32, cite: 'include/uapi/linux/userfaultfd.h (the pagefault member of the union)',
  },
  procmap_query: {
    fields: [['size', 'u64'], ['query_flags', 'u64'], ['query_addr', 'u64'], ['vma_start', 'u64'], ['vma_end', 'u64'], ['vma_flags', 'u64'],
      ['vma_page_size', 'u64'], ['vma_offset', 'u64'], ['inode', 'u64'], ['dev_major', 'u32'], ['dev_minor', 'u32'], ['vma_name_size', 'u32'],
      ['build_id_size', 'u32'], ['vma_name_addr', 'u64'], ['build_id_addr', 'u64']],
    size: 104, cite: 'include/uapi/linux/fs.h (Linux 6.11+)',
  },
} as const satisfies Readonly<Record<string, CStruct>>;
export type StructName = keyof typeof STRUCTS;

/** _IOC on x86-64 (include/uapi/asm-generic/ioctl.h): dir << 30 | size << 16 | type << 8 | nr. */
const ioc = (dir: 0 | 1 | 2 | 3, type: number, nr: number, size = 0): number => ((dir << 30) | (size << 16) | (type << 8) | nr) >>> 0;
const io = (type: number, nr: number) => ioc(0, type, nr);
const iow = (type: number, nr: number, s: StructName) => ioc(1, type, nr, STRUCTS[s].size);
const ior = (type: number, nr: number, s: StructName) => ioc(2, type, nr, STRUCTS[s].size);
const iowr = (type: number, nr: number, s: StructName) => ioc(3, type, nr, STRUCTS[s].size);
const KVMIO = 0xae;
const UFFDIO = 0xaa;

/** ioctl request numbers (include/uapi/linux/kvm.h, userfaultfd.h, fs.h; conversion series as named). */
export const IOCTL = {
  KVM_GET_API_VERSION: io(KVMIO, 0x00),
  KVM_CREATE_VM: io(KVMIO, 0x01),
  KVM_CHECK_EXTENSION: io(KVMIO, 0x03),
  KVM_CREATE_VCPU: io(KVMIO, 0x41),
  /** The v1 ioctl takes the 32-byte prefix of kvm_userspace_memory_region2. */
  KVM_SET_USER_MEMORY_REGION: ioc(1, KVMIO, 0x46, 32),
  KVM_SET_USER_MEMORY_REGION2: iow(KVMIO, 0x49, 'kvm_userspace_memory_region2'),
  KVM_SET_MEMORY_ATTRIBUTES: iow(KVMIO, 0xd2, 'kvm_memory_attributes'),
  KVM_CREATE_GUEST_MEMFD: iowr(KVMIO, 0xd4, 'kvm_create_guest_memfd'),
  KVM_PRE_FAULT_MEMORY: iowr(KVMIO, 0xd5, 'kvm_pre_fault_memory'),
  KVM_GET_STATS_FD: io(KVMIO, 0xce),
  KVM_GET_DIRTY_LOG: iow(KVMIO, 0x42, 'kvm_dirty_log'),
  KVM_CLEAR_DIRTY_LOG: iowr(KVMIO, 0xc0, 'kvm_clear_dirty_log'),
  KVM_SET_MEMORY_ATTRIBUTES2: iowr(KVMIO, 0xd2, 'kvm_memory_attributes2'),
  KVM_GMEM_CONVERT_SHARED: iowr(0xaf, 0x41, 'kvm_gmem_convert'),
  KVM_GMEM_CONVERT_PRIVATE: iowr(0xaf, 0x42, 'kvm_gmem_convert'),
  UFFDIO_API: iowr(UFFDIO, 0x3f, 'uffdio_api'),
  UFFDIO_REGISTER: iowr(UFFDIO, 0x00, 'uffdio_register'),
  UFFDIO_UNREGISTER: ior(UFFDIO, 0x01, 'uffdio_range'),
  UFFDIO_WAKE: ior(UFFDIO, 0x02, 'uffdio_range'),
  UFFDIO_COPY: iowr(UFFDIO, 0x03, 'uffdio_copy'),
  UFFDIO_ZEROPAGE: iowr(UFFDIO, 0x04, 'uffdio_zeropage'),
  UFFDIO_CONTINUE: iowr(UFFDIO, 0x07, 'uffdio_continue'),
  UFFDIO_MOVE: iowr(UFFDIO, 0x05, 'uffdio_move'),
  UFFDIO_WRITEPROTECT: iowr(UFFDIO, 0x06, 'uffdio_writeprotect'),
  PROCMAP_QUERY: iowr(0x66, 17, 'procmap_query'),
} as const;

/** Other numbers the C side needs, by their kernel names. */
export const C_CONSTANTS = {
  UFFD_API: 0xaa,
  UFFD_USER_MODE_ONLY: 1,
  UFFD_FEATURES_SERVABLE,
  UFFD_FEATURE_THREAD_ID: UFFD_FEATURE.THREAD_ID,
  UFFD_EVENT_PAGEFAULT: 0x12,
  UFFD_PAGEFAULT_FLAG_WRITE: UFFD_PAGEFAULT_FLAG.WRITE,
  UFFD_PAGEFAULT_FLAG_WP: UFFD_PAGEFAULT_FLAG.WP,
  UFFD_PAGEFAULT_FLAG_MINOR: UFFD_PAGEFAULT_FLAG.MINOR,
  KVM_MEMORY_ATTRIBUTE_PRIVATE: Number(MEMORY_ATTRIBUTE_PRIVATE),
  MPOL_F_NODE: MPOL_F.NODE,
  MPOL_F_ADDR: MPOL_F.ADDR,
  PROCMAP_QUERY_COVERING_OR_NEXT_VMA: 0x10,
} as const;
