// uAPI numbers the addon issues. /usr/include is too old for the guest_memfd uAPI (this-kernel.md),
// so every number is defined here, each with its source. "KR" = /work/shared/docs/kernel-rules.md.
#pragma once
#include <cstdint>

namespace gm {

// --- KVM ioctls (KR §1.1; values from include/uapi/linux/kvm.h, S7, _IOC encoding) ------------
constexpr unsigned long KVM_GET_API_VERSION = 0xAE00;
constexpr unsigned long KVM_CREATE_VM = 0xAE01;
constexpr unsigned long KVM_CHECK_EXTENSION = 0xAE03;
constexpr unsigned long KVM_CREATE_VCPU = 0xAE41;
constexpr unsigned long KVM_SET_USER_MEMORY_REGION = 0x4020AE46;   // 32-byte struct
constexpr unsigned long KVM_SET_USER_MEMORY_REGION2 = 0x40A0AE49;  // 160-byte struct
constexpr unsigned long KVM_SET_MEMORY_ATTRIBUTES = 0x4020AED2;    // 32-byte struct, VM fd
constexpr unsigned long KVM_CREATE_GUEST_MEMFD = 0xC040AED4;       // 64-byte struct, VM fd
constexpr unsigned long KVM_PRE_FAULT_MEMORY = 0xC040AED5;         // 64-byte struct, vCPU fd
// Proposed conversion uAPIs, issued on the gmem fd (KR §1.1: S10 in-place conversion v8; S20 RFC v2).
constexpr unsigned long KVM_SET_MEMORY_ATTRIBUTES2 = 0xC080AED2;   // 128-byte struct
constexpr unsigned long KVM_GMEM_CONVERT_SHARED = 0xC040AF41;      // 64-byte struct
constexpr unsigned long KVM_GMEM_CONVERT_PRIVATE = 0xC040AF42;
constexpr uint64_t KVM_MEMORY_ATTRIBUTE_PRIVATE = 1ull << 3;       // KR §1.6

// --- KVM structures (KR §1.2, x86-64 layout, no implicit padding) ---------------------------
struct kvm_create_guest_memfd { uint64_t size, flags, reserved[6]; };
struct kvm_userspace_memory_region2 {
  uint32_t slot, flags;
  uint64_t guest_phys_addr, memory_size, userspace_addr, guest_memfd_offset;
  uint32_t guest_memfd, pad1;
  uint64_t pad2[14];
};
struct kvm_memory_attributes { uint64_t address, size, attributes, flags; };
struct kvm_memory_attributes2 { uint64_t offset, size, attributes, flags, error_offset, reserved[11]; };
struct kvm_gmem_convert { uint64_t offset, size, error_offset, reserved[5]; };
struct kvm_pre_fault_memory { uint64_t gpa, size, flags, padding[5]; };
static_assert(sizeof(kvm_create_guest_memfd) == 64, "KR §1.2");
static_assert(sizeof(kvm_userspace_memory_region2) == 160, "KR §1.2");
static_assert(sizeof(kvm_memory_attributes) == 32, "KR §1.2");
static_assert(sizeof(kvm_memory_attributes2) == 128, "KR §1.2");
static_assert(sizeof(kvm_gmem_convert) == 64, "KR §1.2");
static_assert(sizeof(kvm_pre_fault_memory) == 64, "KR §1.2");

// --- syscalls (KR §1.9, arch/x86/entry/syscalls/syscall_64.tbl) ------------------------------
constexpr long SYS_MBIND_ = 237;
constexpr long SYS_SET_MEMPOLICY_ = 238;
constexpr long SYS_GET_MEMPOLICY_ = 239;
constexpr long SYS_USERFAULTFD_ = 323;
constexpr int MPOL_F_NODE_ = 1 << 0;  // KR §1.9 get_mempolicy flags
constexpr int MPOL_F_ADDR_ = 1 << 1;

// --- userfaultfd (KR §1.8, include/uapi/linux/userfaultfd.h) ---------------------------------
constexpr uint64_t UFFD_API_ = 0xAA;
constexpr unsigned long UFFDIO_API_ = 0xC018AA3F;
constexpr unsigned long UFFDIO_REGISTER_ = 0xC020AA00;
constexpr unsigned long UFFDIO_UNREGISTER_ = 0x8010AA01;
constexpr unsigned long UFFDIO_WAKE_ = 0x8010AA02;
constexpr unsigned long UFFDIO_COPY_ = 0xC028AA03;
constexpr unsigned long UFFDIO_ZEROPAGE_ = 0xC020AA04;
constexpr unsigned long UFFDIO_CONTINUE_ = 0xC020AA07;
constexpr int UFFD_USER_MODE_ONLY_ = 1;
// UFFDIO_API feature bits (include/uapi/linux/userfaultfd.h). The four non-cooperative events make
// the thread that caused them (fork, mremap, madvise(DONTNEED/REMOVE), munmap) wait until the
// monitor has read the event; here that thread is the monitor itself, so it would never wake.
constexpr uint64_t UFFD_FEATURE_EVENT_FORK_ = 1 << 1;
constexpr uint64_t UFFD_FEATURE_EVENT_REMAP_ = 1 << 2;
constexpr uint64_t UFFD_FEATURE_EVENT_REMOVE_ = 1 << 3;
constexpr uint64_t UFFD_FEATURE_EVENT_UNMAP_ = 1 << 6;
// Every other bit up to UFFD_FEATURE_MOVE (1 << 16) only changes how faults are reported or
// resolved: PAGEFAULT_FLAG_WP, MISSING_HUGETLBFS/SHMEM, SIGBUS, THREAD_ID, MINOR_*, EXACT_ADDRESS,
// WP_*, POISON, WP_ASYNC, MOVE.
constexpr uint64_t UFFD_FEATURES_SERVABLE_ =
    ((uint64_t{1} << 17) - 1) & ~(UFFD_FEATURE_EVENT_FORK_ | UFFD_FEATURE_EVENT_REMAP_ | UFFD_FEATURE_EVENT_REMOVE_ | UFFD_FEATURE_EVENT_UNMAP_);
constexpr uint8_t UFFD_EVENT_PAGEFAULT_ = 0x12;
constexpr uint64_t UFFD_PAGEFAULT_FLAG_WRITE_ = 1 << 0;
constexpr uint64_t UFFD_PAGEFAULT_FLAG_WP_ = 1 << 1;
constexpr uint64_t UFFD_PAGEFAULT_FLAG_MINOR_ = 1 << 2;
struct uffdio_api_ { uint64_t api, features, ioctls; };
struct uffdio_range_ { uint64_t start, len; };
struct uffdio_register_ { uffdio_range_ range; uint64_t mode, ioctls; };
struct uffdio_copy_ { uint64_t dst, src, len, mode; int64_t copy; };
struct uffdio_zeropage_ { uffdio_range_ range; uint64_t mode; int64_t zeropage; };
struct uffdio_continue_ { uffdio_range_ range; uint64_t mode; int64_t mapped; };
// struct uffd_msg: 32 bytes; event u8 @0, pagefault.flags u64 @8, pagefault.address u64 @16.
struct uffd_msg_ { uint8_t event, reserved1; uint16_t reserved2; uint32_t reserved3; uint64_t flags, address, ptid; };
static_assert(sizeof(uffdio_api_) == 24 && sizeof(uffdio_register_) == 32, "KR §1.8 sizes");
static_assert(sizeof(uffdio_copy_) == 40 && sizeof(uffdio_zeropage_) == 32, "KR §1.8 sizes");
static_assert(sizeof(uffdio_continue_) == 32 && sizeof(uffd_msg_) == 32, "uffd_msg is 32 bytes");

// --- PROCMAP_QUERY (include/uapi/linux/fs.h, Linux 6.11+): "which VMA covers or follows addr",
// without reading all of /proc/self/maps (which costs ~0.2 ms here). 104-byte struct.
constexpr unsigned long PROCMAP_QUERY_ = 0xC0686611;  // _IOWR('f', 17, struct procmap_query)
constexpr uint64_t PROCMAP_QUERY_COVERING_OR_NEXT_VMA_ = 0x10;
struct procmap_query_ {
  uint64_t size, query_flags, query_addr, vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
  uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
  uint64_t vma_name_addr, build_id_addr;
};
static_assert(sizeof(procmap_query_) == 104, "include/uapi/linux/fs.h struct procmap_query");

constexpr uint64_t PAGE = 4096;

}  // namespace gm
