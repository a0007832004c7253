/**
 * The numbered rules of the observation family (issue 15; docs/kernel-surface.md section J): what
 * /proc/self/smaps and /proc/self/pagemap show of a guest_memfd mapping. Same format as
 * ./surface-rules.ts; a file of its own so the families grow without touching each other. Kernel
 * sources are read at v7.2 (Debian's linux-source-7.2, 7.2.13); the 6.18 answers rest on the same
 * functions there (fs/proc/task_mmu.c; the gmem fault handler maps the folio's page through
 * vmf->page in both), and on the memfd measurements of this host's kernel (test/unit/native/observe.test.ts).
 */
import type { RuleText } from './entry.js';

export const SURFACE_OBSERVE_RULES: readonly RuleText[] = [
  {
    id: 'MAP-38',
    statement: 'The `/proc/self/smaps` entry of a gmem VMA (its first line is the `/proc/self/maps` line: permissions `rw-s` and the like, the file offset of the VMA\'s first page, the file\'s name of CRE-17): the VMA is the run of the mapping\'s pages whose VMA-level state (mlock, MADV_HUGEPAGE/NOHUGEPAGE, the madvise flags SEQUENTIAL/RANDOM/DONTFORK/DONTDUMP/MERGEABLE, a VMA mempolicy, a uffd registration) is equal — and it may extend into another mapping of the same file at the contiguous file offset with the same protection and equal state, which the kernel may have placed right next to it and merged (the addresses are its choice). `Rss` counts the pages a PTE maps (after faults and populate; not after punch, MADV_DONTNEED or munmap), `Anonymous` the MAP_PRIVATE copies (always 0 on gmem: shared only), a page-cache page is `Private_*` when one PTE maps it and `Shared_*` when more do, `Pss` is the sum of PAGE_SIZE/mapcount, `Locked` the Pss of a VM_LOCKED VMA (0 otherwise), `FilePmdMapped` 0 (host mappings stay order-0, LVL-5), `THPeligible` 0 (gmem has no huge_fault and file THP needs VM_EXEC; shmem follows its THP knobs). `VmFlags`: `rd`/`wr`/`ex` per PROT, `sh mr mw ms`, never `me` (the gmem pseudo filesystem is noexec; memfd has it), `lo` after mlock, `hg`/`nh`, `sr`/`rr`, `dc`, `dd`, `mg` (never on a shared VMA) after madvise, `um`/`uw`/`ui` per uffd registration mode.',
    status: 'UP (generic procfs; DERIVED for gmem)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: entries after faults, a second mapping, mlock, madvise flags and DONTNEED judged by the spec (test/unit/native/observe.test.ts); a mapping of file pages [1, 2) placed right below one of [2, 7) showed one VMA starting a page below the latter (a native random run); FilePmdMapped 0 on a gmem VMA (obs:MM-63)',
    src: 'fs/proc/task_mmu.c `show_smap`, `smaps_account`, `smaps_page_accumulate`, `smaps_pte_entry`, `show_smap_vma_flags`; mm/huge_memory.c `__thp_vma_allowable_orders`, `vma_can_map_huge_file`; fs/libfs.c `init_pseudo` (SB_I_NOEXEC); mm/mmap.c `do_mmap` (path_noexec drops VM_MAYEXEC); mm/madvise.c `madvise_vma_behavior`; mm/ksm.c `ksm_compatible`; mm/vma.c `vma_merge_new_range`, `vma_merge_existing_range`, `is_mergeable_vma`; virt/kvm/guest_memfd.c `kvm_gmem_fault_user_mapping`, v7.2.',
  },
  {
    id: 'MAP-39',
    statement: 'The `/proc/self/pagemap` entry of a page of a gmem mapping: no PTE → 0; a PTE that maps the page-cache folio → PRESENT|FILE, and MMAP_EXCLUSIVE when it is the folio\'s only PTE (a second mapping of the same file page clears it); a MAP_PRIVATE copy (memfd) → PRESENT|MMAP_EXCLUSIVE without FILE. UFFD_WP and a SWAP-typed uffd-wp marker appear only in a range registered for uffd WP; GUARD_REGION needs MADV_GUARD_INSTALL (not in the vocabulary: never set). An address outside every VMA reads 0; one at or past the top of the user address space has no entry (the read returns 0 bytes). The PFN and soft-dirty are not part of the outcome.',
    status: 'UP (generic procfs; DERIVED for gmem)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: entries after faults through one and two mappings, MAP_PRIVATE copies, DONTNEED (test/unit/native/observe.test.ts)',
    src: 'fs/proc/task_mmu.c `pagemap_read`, `pagemap_pte_hole`, `pte_to_pagemap_entry`, `__folio_page_mapped_exclusively`; mm/memory.c `zap_install_uffd_wp_if_needed`, `set_pte_range`; virt/kvm/guest_memfd.c `kvm_gmem_fault_user_mapping` (vmf->page: a normal page with a file rmap), v7.2.',
  },
  {
    id: 'LIFE-18',
    statement: '`/proc/self/fdinfo/N` of a gmem fd shows `pos: 0` (the file has no read, write or llseek; the write() series moves it), `flags:` the open file\'s f_flags in octal — O_RDWR|O_LARGEFILE (0100002) and what F_SETFL kept (O_APPEND, O_NONBLOCK, O_NOATIME) — with O_CLOEXEC (02000000) added when the fd is close-on-exec (never for a fresh gmem fd, CRE-7). A closed fd has no entry (ENOENT). memfd: the same with its own position.',
    status: 'UP (generic procfs)',
    observability: 'OBS',
    measured: 'memfd on 6.18.44: flags 02100002 (MFD_CLOEXEC), 02102002 after F_SETFL O_APPEND, pos after write (test/unit/native/observe.test.ts)',
    src: 'fs/proc/fd.c `seq_show`, `proc_fd_instantiate`; virt/kvm/guest_memfd.c `__kvm_gmem_create` (O_RDWR, f_flags |= O_LARGEFILE); fs/fcntl.c `setfl`, v7.2.',
  },
  {
    id: 'CRE-17',
    statement: 'The name a gmem file shows (`readlink /proc/self/fd/N`, the name column of `/proc/self/maps`, `/proc/self/map_files`): `anon_inode:[kvm-gmem]` where the file is an anonymous inode (6.18, P-FSMAGIC=ANON), `/[kvm-gmem] (deleted)` where it lives on the guest_memfd pseudo filesystem (since 6.19: the pseudo dentry gets `simple_dname`). memfd: `/memfd:NAME (deleted)`.',
    status: 'UP-6.19 (GMEMFS: DERIVED from source); 6.18 ANON',
    observability: 'OBS',
    measured: 'anon_inode:[kvm-gmem] on 6.18.44 with guest_memfd (obs:FD-05); /memfd:gmemcheck (deleted) on this host (test/unit/native/observe.test.ts)',
    src: 'virt/kvm/guest_memfd.c `__kvm_gmem_create` (v6.18 `anon_inode_create_getfile`; v7.2 `alloc_file_pseudo` with the name "[kvm-gmem]" on `kvm_gmem_mnt`, whose `init_pseudo` context sets no dentry operations); fs/file_table.c `alloc_file_pseudo`; fs/dcache.c `d_alloc_pseudo` (simple_dname); fs/d_path.c `simple_dname` ("/" name " (deleted)"); fs/anon_inodes.c `anon_inodefs_dname`, v7.2.',
  },
];
