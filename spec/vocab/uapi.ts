/**
 * uAPI constants used by the vocabulary. Values from kernel-rules.md §1 (which computed them from
 * include/uapi/linux/kvm.h, userfaultfd.h, mempolicy.h, falloc.h, mman-common.h). The native addon
 * defines the same numbers in C++ with the same citations; the system headers here are too old.
 */

/** kvm_create_guest_memfd.flags (kernel-rules.md §1.3). */
export const GMEM_FLAG = { MMAP: 1n << 0n, INIT_SHARED: 1n << 1n, BIT2: 1n << 2n } as const;

/** KVM_CHECK_EXTENSION numbers (kernel-rules.md §1.5). */
export const CAP = {
  USER_MEMORY2: 231, MEMORY_FAULT_INFO: 232, MEMORY_ATTRIBUTES: 233, GUEST_MEMFD: 234, VM_TYPES: 235,
  PRE_FAULT_MEMORY: 236, GUEST_MEMFD_FLAGS: 244, MULTI_ADDRESS_SPACE: 118, GUEST_MEMFD_NO_DIRECT_MAP_OLD: 245, GUEST_MEMFD_MEMORY_ATTRIBUTES: 250,
} as const;

/** Memslot flags (kernel-rules.md §1.4). */
export const MEM = { LOG_DIRTY_PAGES: 1 << 0, READONLY: 1 << 1, GUEST_MEMFD: 1 << 2 } as const;

/** fallocate modes (include/uapi/linux/falloc.h; kernel-rules.md §1.9). */
export const FALLOC = {
  KEEP_SIZE: 0x01, PUNCH_HOLE: 0x02, NO_HIDE_STALE: 0x04, COLLAPSE_RANGE: 0x08, ZERO_RANGE: 0x10,
  INSERT_RANGE: 0x20, UNSHARE_RANGE: 0x40, WRITE_ZEROES: 0x80,
} as const;

/** mmap prot bits (include/uapi/asm-generic/mman-common.h). */
export const PROT = { NONE: 0, READ: 1, WRITE: 2, EXEC: 4 } as const;

/** Mempolicy modes and flags (include/uapi/linux/mempolicy.h; kernel-rules.md §1.9). */
export const MPOL = {
  DEFAULT: 0, PREFERRED: 1, BIND: 2, INTERLEAVE: 3, LOCAL: 4, PREFERRED_MANY: 5, WEIGHTED_INTERLEAVE: 6,
} as const;
export const MPOL_MF = { STRICT: 1 << 0, MOVE: 1 << 1, MOVE_ALL: 1 << 2 } as const;

/** userfaultfd registration modes and features (include/uapi/linux/userfaultfd.h; kernel-rules.md §1.8). */
export const UFFD_MODE = { MISSING: 1 << 0, WP: 1 << 1, MINOR: 1 << 2 } as const;
export const UFFD_FEATURE = { MISSING_SHMEM: 1 << 5, MINOR_SHMEM: 1 << 10, WP_ASYNC: 1 << 15, MOVE: 1 << 16 } as const;

/** VM types (kernel-rules.md §1.6). */
export const VM_TYPE = { DEFAULT: 0, SW_PROTECTED: 1, SEV: 2, SEV_ES: 3, SNP: 4, TDX: 5 } as const;

/** KVM_MEMORY_ATTRIBUTE_PRIVATE (kernel-rules.md §1.6). */
export const MEMORY_ATTRIBUTE_PRIVATE = 1n << 3n;

/** Mode bits reported by fstat (S_IFREG | 0600, kernel-rules.md §1.7). */
export const GMEM_ST_MODE = 0o100600;
