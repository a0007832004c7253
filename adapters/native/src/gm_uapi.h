/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * guest_memfd uAPI numbers and structures (x86-64), generated from spec/vocab/uapi.ts by
 * scripts/gen-uapi-h.ts: do not edit. The system headers are too old for this uAPI. Plain C.
 */
#ifndef GM_UAPI_H
#define GM_UAPI_H
#include <stdint.h>

#define KVM_GET_API_VERSION 0xAE00UL
#define KVM_CREATE_VM 0xAE01UL
#define KVM_CHECK_EXTENSION 0xAE03UL
#define KVM_CREATE_VCPU 0xAE41UL
#define KVM_SET_USER_MEMORY_REGION 0x4020AE46UL
#define KVM_SET_USER_MEMORY_REGION2 0x40A0AE49UL
#define KVM_SET_MEMORY_ATTRIBUTES 0x4020AED2UL
#define KVM_CREATE_GUEST_MEMFD 0xC040AED4UL
#define KVM_PRE_FAULT_MEMORY 0xC040AED5UL
#define KVM_GET_STATS_FD 0xAECEUL
#define KVM_GET_DIRTY_LOG 0x4010AE42UL
#define KVM_CLEAR_DIRTY_LOG 0xC018AEC0UL
#define KVM_SET_MEMORY_ATTRIBUTES2 0xC080AED2UL
#define KVM_GMEM_CONVERT_SHARED 0xC040AF41UL
#define KVM_GMEM_CONVERT_PRIVATE 0xC040AF42UL
#define UFFDIO_API 0xC018AA3FUL
#define UFFDIO_REGISTER 0xC020AA00UL
#define UFFDIO_UNREGISTER 0x8010AA01UL
#define UFFDIO_WAKE 0x8010AA02UL
#define UFFDIO_COPY 0xC028AA03UL
#define UFFDIO_ZEROPAGE 0xC020AA04UL
#define UFFDIO_CONTINUE 0xC020AA07UL
#define UFFDIO_MOVE 0xC028AA05UL
#define UFFDIO_WRITEPROTECT 0xC018AA06UL
#define PROCMAP_QUERY 0xC0686611UL

#define UFFD_API 0xAA
#define UFFD_USER_MODE_ONLY 0x1
#define UFFD_FEATURES_SERVABLE 0x1FFB1
#define UFFD_FEATURE_THREAD_ID 0x100
#define UFFD_EVENT_PAGEFAULT 0x12
#define UFFD_PAGEFAULT_FLAG_WRITE 0x1
#define UFFD_PAGEFAULT_FLAG_WP 0x2
#define UFFD_PAGEFAULT_FLAG_MINOR 0x4
#define KVM_MEMORY_ATTRIBUTE_PRIVATE 0x8
#define MPOL_F_NODE 0x1
#define MPOL_F_ADDR 0x2
#define PROCMAP_QUERY_COVERING_OR_NEXT_VMA 0x10

/* include/uapi/linux/kvm.h */
struct kvm_create_guest_memfd { uint64_t size, flags, reserved[6]; };
_Static_assert(sizeof(struct kvm_create_guest_memfd) == 64, "struct kvm_create_guest_memfd is 64 bytes");

/* include/uapi/linux/kvm.h (its first 32 bytes are struct kvm_userspace_memory_region) */
struct kvm_userspace_memory_region2 { uint32_t slot, flags; uint64_t guest_phys_addr, memory_size, userspace_addr, guest_memfd_offset; uint32_t guest_memfd, pad1; uint64_t pad2[14]; };
_Static_assert(sizeof(struct kvm_userspace_memory_region2) == 160, "struct kvm_userspace_memory_region2 is 160 bytes");

/* include/uapi/linux/kvm.h */
struct kvm_memory_attributes { uint64_t address, size, attributes, flags; };
_Static_assert(sizeof(struct kvm_memory_attributes) == 32, "struct kvm_memory_attributes is 32 bytes");

/* in-place conversion series v8, include/uapi/linux/kvm.h */
struct kvm_memory_attributes2 { uint64_t offset, size, attributes, flags, error_offset, reserved[11]; };
_Static_assert(sizeof(struct kvm_memory_attributes2) == 128, "struct kvm_memory_attributes2 is 128 bytes");

/* guest_memfd shareability RFC v2, include/uapi/linux/kvm.h */
struct kvm_gmem_convert { uint64_t offset, size, error_offset, reserved[5]; };
_Static_assert(sizeof(struct kvm_gmem_convert) == 64, "struct kvm_gmem_convert is 64 bytes");

/* include/uapi/linux/kvm.h (dirty_bitmap: a union of the user pointer and a __u64) */
struct kvm_dirty_log { uint32_t slot, padding1; uint64_t dirty_bitmap; };
_Static_assert(sizeof(struct kvm_dirty_log) == 16, "struct kvm_dirty_log is 16 bytes");

/* include/uapi/linux/kvm.h (dirty_bitmap: a union of the user pointer and a __u64) */
struct kvm_clear_dirty_log { uint32_t slot, num_pages; uint64_t first_page, dirty_bitmap; };
_Static_assert(sizeof(struct kvm_clear_dirty_log) == 24, "struct kvm_clear_dirty_log is 24 bytes");

/* include/uapi/linux/kvm.h */
struct kvm_pre_fault_memory { uint64_t gpa, size, flags, padding[5]; };
_Static_assert(sizeof(struct kvm_pre_fault_memory) == 64, "struct kvm_pre_fault_memory is 64 bytes");

/* include/uapi/linux/userfaultfd.h */
struct uffdio_api { uint64_t api, features, ioctls; };
_Static_assert(sizeof(struct uffdio_api) == 24, "struct uffdio_api is 24 bytes");

/* include/uapi/linux/userfaultfd.h */
struct uffdio_range { uint64_t start, len; };
_Static_assert(sizeof(struct uffdio_range) == 16, "struct uffdio_range is 16 bytes");

/* include/uapi/linux/userfaultfd.h */
struct uffdio_register { struct uffdio_range range; uint64_t mode, ioctls; };
_Static_assert(sizeof(struct uffdio_register) == 32, "struct uffdio_register is 32 bytes");

/* include/uapi/linux/userfaultfd.h */
struct uffdio_copy { uint64_t dst, src, len, mode; int64_t copy; };
_Static_assert(sizeof(struct uffdio_copy) == 40, "struct uffdio_copy is 40 bytes");

/* include/uapi/linux/userfaultfd.h */
struct uffdio_zeropage { struct uffdio_range range; uint64_t mode; int64_t zeropage; };
_Static_assert(sizeof(struct uffdio_zeropage) == 32, "struct uffdio_zeropage is 32 bytes");

/* include/uapi/linux/userfaultfd.h */
struct uffdio_continue { struct uffdio_range range; uint64_t mode; int64_t mapped; };
_Static_assert(sizeof(struct uffdio_continue) == 32, "struct uffdio_continue is 32 bytes");

/* include/uapi/linux/userfaultfd.h */
struct uffdio_writeprotect { struct uffdio_range range; uint64_t mode; };
_Static_assert(sizeof(struct uffdio_writeprotect) == 24, "struct uffdio_writeprotect is 24 bytes");

/* include/uapi/linux/userfaultfd.h (Linux 6.8+) */
struct uffdio_move { uint64_t dst, src, len, mode; int64_t move; };
_Static_assert(sizeof(struct uffdio_move) == 40, "struct uffdio_move is 40 bytes");

/* include/uapi/linux/userfaultfd.h (the pagefault member of the union) */
struct uffd_msg { uint8_t event, reserved1; uint16_t reserved2; uint32_t reserved3; uint64_t flags, address, ptid; };
_Static_assert(sizeof(struct uffd_msg) == 32, "struct uffd_msg is 32 bytes");

/* include/uapi/linux/fs.h (Linux 6.11+) */
struct procmap_query { uint64_t size, query_flags, query_addr, vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode; uint32_t dev_major, dev_minor, vma_name_size, build_id_size; uint64_t vma_name_addr, build_id_addr; };
_Static_assert(sizeof(struct procmap_query) == 104, "struct procmap_query is 104 bytes");

#endif /* GM_UAPI_H */
