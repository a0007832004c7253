/**
 * Rules for generic kernel behaviour the numbered rules do not cover (EBADF on a closed fd, shmem
 * control-backing behaviour, ...). Ids are GEN-<name>; `src` is an upstream source path, read at
 * the release ./sources.ts names for unkeyed paths unless it names one, or a harness convention
 * in this repository. Statements are ours, written from reading the named upstream files.
 */
import type { Observability, RuleText } from './entry.js';

const gen = (name: string, src: string, statement: string, observability: Observability = 'Y'): RuleText => ({
  id: `GEN-${name}`, statement, status: 'UP (generic)', observability, src,
});

export const GENERIC_RULES: readonly RuleText[] = [
  gen('EBADF', 'fs/file.c fget/fdget', 'A syscall or ioctl naming a descriptor that is not open (never opened, or closed) fails with EBADF.'),
  gen('VM-TYPE', 'virt/kvm/kvm_main.c kvm_dev_ioctl_create_vm; arch/x86/kvm/x86.c kvm_arch_init_vm', 'KVM_CREATE_VM accepts only the VM types the host supports; any other type is EINVAL.'),
  gen('CAP', 'virt/kvm/kvm_main.c kvm_vm_ioctl_check_extension_generic', 'KVM_CHECK_EXTENSION returns a capability-specific value; capabilities outside the ones gmemcheck models may return any small value.'),
  gen('CLOSE', 'fs/open.c close_fd; fs/file_table.c fput', 'close() of an open descriptor succeeds and drops one reference to the open file; the file is released when its last descriptor and last mapping are gone.'),
  gen('DUP', 'fs/file.c dup', 'dup() returns a new descriptor for the same open file description, without close-on-exec.'),
  gen('SEGV-MAPERR', 'arch/x86/mm/fault.c do_user_addr_fault', 'A user access to an address that no VMA covers raises SIGSEGV with SEGV_MAPERR.'),
  gen('MUNMAP', 'mm/vma.c do_vmi_munmap', 'munmap of a page-aligned range succeeds whether or not anything is mapped there.'),
  gen('MMAP-ARGS', 'arch/x86/kernel/sys_x86_64.c sys_mmap; mm/mmap.c do_mmap, file_mmap_ok', 'mmap checks, in order: offset page-aligned (EINVAL), the fd (EBADF), length non-zero (EINVAL), the length fits the address space (ENOMEM), offset+length within loff_t (EOVERFLOW).'),
  gen('MPROTECT', 'mm/mprotect.c do_mprotect_pkey', 'mprotect with unknown prot bits is EINVAL; on an unmapped range it is ENOMEM; otherwise it changes the protection of every page in the range.'),
  gen('MADVISE', 'mm/madvise.c do_madvise, madvise_walk_vmas', 'madvise: an unaligned start is EINVAL, a zero length succeeds without effect, and a range containing unmapped pages is applied to the mapped part and then fails with ENOMEM.'),
  gen('MINCORE', 'mm/mincore.c sys_mincore, mincore_page', 'mincore: unaligned start EINVAL; unmapped range ENOMEM; a page is resident if its PTE is present or its page-cache folio is up to date.'),
  gen('PVM', 'mm/process_vm_access.c process_vm_rw_core', 'process_vm_readv/writev transfer page by page and return the bytes moved before the first page that cannot be pinned; if none moved, EFAULT.'),
  gen('GUP-PROT', 'mm/gup.c check_vma_flags', 'GUP refuses a read of a VMA without read permission and a write of a VMA without write permission with EFAULT.'),
  gen('MEMFD', 'mm/memfd.c memfd_create; mm/shmem.c shmem_file_setup', 'memfd_create makes a shmem file: regular, mode 0777, O_RDWR, blksize PAGE_SIZE; its size is what ftruncate sets.'),
  gen('SHMEM-FAULT', 'mm/shmem.c shmem_fault, shmem_get_folio_gfp', 'A fault on a shmem mapping beyond EOF raises SIGBUS; otherwise a missing folio is allocated zeroed and mapped.'),
  gen('SHMEM-RW', 'mm/shmem.c shmem_file_read_iter; mm/filemap.c generic_perform_write; fs/read_write.c', 'read/write on shmem use and advance the file position; holes read as zeroes; writes extend the file; pread/pwrite use the given position; lseek(SEEK_SET) sets it; fsync succeeds.'),
  gen('SHMEM-TRUNCATE', 'mm/shmem.c shmem_setattr, shmem_truncate_range', 'ftruncate on shmem sets the size; pages beyond the new size are freed and unmapped, and the partial last page is zeroed past EOF.'),
  gen('SHMEM-FALLOCATE', 'mm/shmem.c shmem_fallocate, shmem_get_folio_gfp (SGP_FALLOC)', 'shmem fallocate supports allocation (extending the size unless KEEP_SIZE) and PUNCH_HOLE|KEEP_SIZE (partial pages are zeroed); other modes are EOPNOTSUPP. A new page is allocated but not up to date (not resident for mincore); a page an earlier fallocate left that way is cleared and marked up to date by the next fallocate over it.'),
  gen('SHMEM-MMAP', 'mm/shmem.c shmem_mmap; mm/memory.c do_cow_fault', 'shmem files may be mapped privately (copy-on-write: stores go to a private copy) and executably.'),
  gen('SHMEM-POLICY', 'mm/shmem.c shmem_set_policy, shmem_get_policy', 'mbind on a shmem mapping stores a shared policy on the inode keyed by file offset; get_mempolicy reads it back through any mapping.'),
  gen('MPOL-MERGE', 'mm/mempolicy.c mbind_range, vma_modify_policy, vma_replace_policy, mpol_set_shared_policy (v7.2)', 'mbind merges a changed VMA piece with a neighbouring VMA that already has the new policy (same flags and uffd registration); the file\'s set_policy then covers the whole merged VMA, replacing the shared policy of the neighbour\'s file pages.'),
  gen('SHMEM-COLLAPSE', 'mm/khugepaged.c madvise_collapse; mm/shmem.c shmem_allowable_huge_orders', 'MADV_COLLAPSE on shmem depends on the shmem THP sysctl: it may succeed or fail with EINVAL or EAGAIN.'),
  gen('UFFD-SHMEM', 'fs/userfaultfd.c vma_can_userfault; mm/shmem.c', 'shmem VMAs can be registered for MISSING, WP and MINOR; faults on them raise MISSING events for absent folios and MINOR events for present but unmapped folios.'),
  gen('UFFD-SIGBUS', 'fs/userfaultfd.c handle_userfault', 'With UFFD_FEATURE_SIGBUS a fault that would queue a userfault raises SIGBUS instead.'),
  gen('UFFD-USER-ONLY', 'fs/userfaultfd.c handle_userfault', 'A kernel-mode fault (GUP, copy from the kernel) in a range registered by a UFFD_USER_MODE_ONLY context fails with SIGBUS, which GUP reports as EFAULT.'),
  gen('UFFD-MFILL', 'mm/userfaultfd.c mfill_atomic, validate_dst_vma', 'UFFDIO_COPY/ZEROPAGE/CONTINUE need page-aligned non-empty ranges (EINVAL) inside one registered VMA (ENOENT); a page that already has a folio or PTE gives EEXIST; a partial success returns the bytes done.'),
  gen('MPOL-TASK', 'mm/mempolicy.c do_set_mempolicy', 'set_mempolicy validates like mbind and sets the calling task policy.'),
  gen('MPOL-STRICT', 'mm/mempolicy.c do_mbind, queue_folios_pte_range (strictly_unmovable)', 'mbind with MPOL_MF_STRICT and no MOVE flag fails with EIO, storing no policy, when a page mapped in the range lies on a node outside the given node mask (an empty mask, as for MPOL_LOCAL, excludes every node); MPOL_DEFAULT drops STRICT. Pages without a PTE in the range are not looked at. Measured on 6.18 (gmem and memfd alike).'),
  gen('MPOL-SHARED-SKIP', 'mm/mempolicy.c queue_folios_pte_range, migrate_folio_add (v6.18)', 'mbind with MPOL_MF_MOVE but not MPOL_MF_MOVE_ALL leaves a misplaced folio that more than one mapping maps where it is and does not count it as failed, so MPOL_MF_STRICT reports EIO only for a misplaced folio mapped once that refuses to move (gmem, MAP-12). Measured on 6.18.44: a gmem page mapped through two mappings gives 0.'),
  gen('GUEST-MMIO', 'arch/x86/kvm/mmu/mmu.c kvm_faultin_pfn', 'A guest access to a GPA that no memslot covers, or a guest write to a KVM_MEM_READONLY slot, exits to userspace as MMIO.'),
  gen('PREAD-POS', 'fs/read_write.c ksys_pread64/ksys_pwrite64', 'pread/pwrite with a negative position fail with EINVAL before the fd is looked up.'),
  gen('FTRUNCATE-NEG', 'fs/open.c do_sys_ftruncate', 'ftruncate with a negative length fails with EINVAL before the fd is looked up.'),
  gen('SLOT-PLAIN', 'virt/kvm/kvm_main.c kvm_set_memory_region', 'A plain (non-gmem) slot may be re-issued unchanged (0), moved, or have LOG_DIRTY toggled; changing its size, userspace_addr or READONLY is EINVAL.'),
  gen('OVERCOMMIT', 'mm/mmap.c accountable_mapping; mm/util.c __vm_enough_memory', 'A private writable mapping is charged against the commit limit at mmap time; under heuristic overcommit a single request larger than RAM plus swap fails with ENOMEM.'),
  gen('DEAD-MAP', 'spec/vocab/CONVENTIONS.md (harness convention; mm/mmap.c find_vma finds no VMA)', 'An op through a dead map handle is not issued: mprotect answers ENOMEM, and madvise, mbind, get_mempolicy, mincore, process_vm_readv/writev, UFFDIO_REGISTER and the UFFDIO resolves answer EFAULT, before any other check.', 'Y'),
  gen('UFFD-UNREGISTER', 'fs/userfaultfd.c userfaultfd_unregister (harness convention, spec/README.md)', 'When a fault handler fails to resolve a userfault, the target unregisters the faulting page, which wakes the access; it then completes as without uffd.'),
];
