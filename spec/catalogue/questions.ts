/**
 * The open design questions: behaviours the kernel and the proposed series have not settled (or
 * settled differently over releases). A profile answers each one (spec/vocab/profile.ts Variants);
 * this table says what each answer means and where the question comes from. Typed over the
 * variants, so a new question or answer does not compile until it is explained here.
 */
import type { VariantKey, Variants } from '../vocab/profile.js';

export interface OpenQuestion<K extends VariantKey> {
  readonly question: string;
  readonly answers: { readonly [V in Variants[K]]: string };
  /** Source keys (./sources.ts) and the thread where it was raised. */
  readonly evidence: string;
  /** What the development host (6.18.44) answers, or why it cannot. */
  readonly host: string;
}

export const OPEN_QUESTIONS: { readonly [K in VariantKey]: OpenQuestion<K> } = {
  uffdPriv: {
    question: 'A host access to a populated but private offset inside a uffd-registered VMA',
    answers: { USERFAULT: 'a MINOR (or MISSING) userfault goes to the VMM, and UFFDIO_COPY/CONTINUE into private offsets are refused', SIGBUS: 'private stays private: SIGBUS as without uffd' },
    evidence: 'SEED2 (asked in review; the answer was a userfault with COPY blocked, locking against conversion deferred)',
    host: 'n/a (no uffd on guest_memfd)',
  },
  defaultShare: {
    question: 'The shareability of a new file, and the meaning of flag bit 1',
    answers: { INIT_SHARED: 'bit 1 starts the file shared; without it the file is private and host faults need INIT_SHARED or a conversion (merged)', INIT_PRIVATE: 'bit 1 starts the file private and needs bit 0 SUPPORT_SHARED; the default is shared (RFC v2)' },
    evidence: 'SEED1, S17, S20',
    host: 'INIT_SHARED',
  },
  dmapGran: {
    question: 'How long the direct map stays removed',
    answers: { MAPPING: 'for the folio\'s whole page-cache life (removed when added to the filemap, restored when removed)', 'FOLIO-LAZY': 'per folio: removed at the first host fault or get_pfn (or after write()), restored when the folio is freed; one write before removal is possible' },
    evidence: 'SEED3, S12 v12, S8',
    host: 'n/a (no NO_DIRECT_MAP)',
  },
  write: {
    question: 'write()/pwrite() on a guest_memfd',
    answers: { NONE: 'always fails (6.18)', ONCE: 'allowed until the folio leaves the direct map, then EEXIST', MERMAP: 'always allowed through a temporary kernel-private mapping' },
    evidence: 'SEED3, S8, S23',
    host: 'NONE',
  },
  convApi: {
    question: 'How shareability is converted',
    answers: { 'GMEM-ATTR2': 'KVM_SET_MEMORY_ATTRIBUTES2 on the gmem fd, by file offset (cap 250)', 'GMEM-CONVERT': 'KVM_GMEM_CONVERT_SHARED/PRIVATE on the gmem fd', 'VM-ATTR': 'the VM-level KVM_SET_MEMORY_ATTRIBUTES by GPA (the 6.8 model, no host mmap of private memory)' },
    evidence: 'S10, S20, S9',
    host: 'none: every conversion ioctl is absent',
  },
  convContent: {
    question: 'The contents of a range after conversion',
    answers: { PRESERVE: 'kept (pKVM, software VMs)', ZERO: 'zeroed', UNSPECIFIED: 'platform-defined (the v8 wording for SNP/TDX)' },
    evidence: 'S10 (v8 and the earlier ZERO/PRESERVE modes)',
    host: 'n/a',
  },
  convAtomic: {
    question: 'A conversion that fails (EAGAIN) partway through a range',
    answers: { 'ALL-OR-NOTHING': 'nothing converted', 'PREFIX-CONVERTED': 'converted up to error_offset' },
    evidence: 'S10 (UNVERIFIED)',
    host: 'n/a',
  },
  convPins: {
    question: 'Converting to private while pins or extra references exist',
    answers: { EAGAIN: 'EAGAIN with error_offset (v8)', BLOCK: 'wait for the references to drop, or have the kernel break them' },
    evidence: 'S10, SEED1',
    host: 'n/a',
  },
  attrMissing: {
    question: 'An offset with no attribute entry',
    answers: { INITIAL: 'the file\'s initial state (INIT_SHARED: shared)', PRIVATE: 'private' },
    evidence: 'S10 (review)',
    host: 'n/a',
  },
  bindOverlap: {
    question: 'The errno for binding an already bound gmem range to a second slot',
    answers: { EINVAL: 'EINVAL (up to 7.1)', EEXIST: 'EEXIST (7.2 on)' },
    evidence: 'S1, S16, S11',
    host: 'EINVAL (obs:MS-04..06)',
  },
  offset: {
    question: 'Signedness of the gmem offset and size in a bind',
    answers: { SIGNED618: 'loff_t: huge offsets are negative and refused, but an offset+size sum that wraps is accepted', UNSIGNED: 'the full u64 range is checked against the file size without wrapping (7.2 on)' },
    evidence: 'S1, S16',
    host: 'SIGNED618',
  },
  polScope: {
    question: 'Where an mbind on a gmem mapping is stored',
    answers: { VMA: 'VMA-local: lost at munmap, not used for allocation (6.18)', INODE: 'a shared policy on the inode keyed by file offset, used for every allocation (6.19 on)' },
    evidence: 'SEED0, S1, S2',
    host: 'VMA (obs:MP-G-10..24)',
  },
  polQuery: {
    question: 'get_mempolicy(MPOL_F_ADDR) where no policy is recorded',
    answers: { DEFAULT: 'MPOL_DEFAULT with an empty mask (the merged ABI)', TASK: 'the calling task\'s policy (rejected in the v11 review)' },
    evidence: 'SEED0',
    host: 'DEFAULT (obs:MP-T01..04)',
  },
  ilx: {
    question: 'The base of the interleave index',
    answers: { PGOFF: 'the page offset (6.19 to 7.1, counted twice)', INODE: 'the inode number, as shmem (7.2 on)' },
    evidence: 'S16, S11',
    host: 'n/a (one NUMA node)',
  },
  hugeSplit: {
    question: 'Converting part of a huge folio or mapping',
    answers: { EAGER: 'split when converting', LAZY: 'track mixed ranges and split or refuse a huge mapping at fault time' },
    evidence: 'SEED1',
    host: 'n/a',
  },
  minorZero: {
    question: 'uffd MINOR/CONTINUE on a folio allocated (by fallocate) but never initialised',
    answers: { 'CONTINUE-ZEROES': 'CONTINUE maps it and the kernel zeroes it first', MISSING: 'the folio is not present until up to date, so a MISSING fault is raised' },
    evidence: 'derived from S1 (up-to-date handling) and S13; UNVERIFIED',
    host: 'n/a',
  },
  uffdWp: {
    question: 'Synchronous uffd-WP registration on an INIT_SHARED gmem VMA under the uffd series',
    answers: { ACCEPT: 'accepted (can_userfault ignores the modes)', REJECT: 'refused (MISSING and MINOR only)' },
    evidence: 'S13',
    host: 'n/a (6.18: synchronous WP is EINVAL, WP with WP_ASYNC is 0; UFD-1)',
  },
  uffdCopyEof: {
    question: 'UFFDIO_COPY at an offset at or past the file size',
    answers: { ENOMEM: 'ENOMEM (v2: the folio allocation returns NULL)', EFAULT: 'EFAULT (as shmem)' },
    evidence: 'S13',
    host: 'n/a',
  },
  reserved: {
    question: 'Non-zero reserved words of kvm_create_guest_memfd',
    answers: { IGNORED: 'ignored (6.18)', 'MUST-BE-ZERO': 'EINVAL, as for kvm_memory_attributes2' },
    evidence: 'S1, S10',
    host: 'IGNORED (obs:CR-R01..08)',
  },
  nodmapCoco: {
    question: 'NO_DIRECT_MAP on TDX/SNP VMs',
    answers: { REJECT: 'refused (v12)', ALLOW: 'allowed once population stops relying on the direct map' },
    evidence: 'SEED3, S12',
    host: 'n/a',
  },
  vmaExpand: {
    question: 'Growing a gmem VMA with mremap',
    answers: { ALLOW: 'allowed; the part past EOF raises SIGBUS when touched (6.18)', DENY: 'EFAULT (the VM_DONTEXPAND proposal of February 2026)' },
    evidence: 'the VM_DONTEXPAND proposal (February 2026)',
    host: 'ALLOW (obs:HF-40..47)',
  },
  guardFile: {
    question: 'MADV_GUARD_INSTALL / GUARD_REMOVE on a file-backed (shmem, guest_memfd) VMA',
    answers: { ALLOW: 'markers installed as on anonymous memory (v6.15 and later)', EINVAL: 'refused: v6.13 and v6.14 allow guard regions on anonymous VMAs only' },
    evidence: 'mm/madvise.c is_valid_guard_vma, v6.14 (vma_is_anonymous) and v6.18, v7.2 (VM_SPECIAL, VM_HUGETLB, VM_LOCKED only)',
    host: 'ALLOW (measured on 6.18.44: memfd)',
  },
  thpCollapse: {
    question: 'MADV_COLLAPSE on a gmem mapping',
    answers: { EINVAL: 'EINVAL (fixed)', UNPATCHED: 'may build a large folio, then WARN and SIGBUS; never run destructively' },
    evidence: 'S19, S16',
    host: 'EINVAL (obs:MM-51)',
  },
  flagBit2: {
    question: 'The meaning of creation flag bit 2',
    answers: { NO_DIRECT_MAP: 'GUEST_MEMFD_FLAG_NO_DIRECT_MAP', WRITE: 'population by write()', HUGETLB: 'HugeTLB backing' },
    evidence: 'S8, S12, S20, S23',
    host: 'none: the bit is EINVAL (obs:CR-F01..10)',
  },
  fsMagic: {
    question: 'fstatfs type and fd name of a guest_memfd',
    answers: { ANON: 'the anonymous inode (0x09041934, anon_inode:[kvm-gmem]; 6.18)', GMEMFS: 'the guest_memfd pseudo-fs (0x474d454d; 6.19 on)' },
    evidence: 'S1, S2',
    host: 'ANON (obs:FD-04/05)',
  },
  mmapNoSharedGuest: {
    question: 'A type-0 VM binding a file created with MMAP but without INIT_SHARED',
    answers: { 'GUEST-ONLY': 'the guest can use it; host faults raise SIGBUS (the 6.18 code path, derived)', REJECT: 'refused at bind (non-CoCo VMs would need INIT_SHARED)' },
    evidence: 'S1, S17 (UNVERIFIED)',
    host: 'the bind is accepted (obs:MS-02); the guest side is not observable under kvm_pvm',
  },
  guestPath: {
    question: 'Which backing serves guest accesses to a gmem slot',
    answers: { GMEM: 'guest_memfd (upstream KVM: gmem-only slots and private accesses)', UADDR: 'the slot\'s userspace_addr, always (kvm_pvm)' },
    evidence: 'S1, S15 against obs:ST-*',
    host: 'UADDR (obs:ST-12/62)',
  },
  iouringBufMax: {
    question: 'The largest buffer IORING_REGISTER_BUFFERS accepts, and the errno past it (a generic io_uring change the pin rules meet, MAP-36)',
    answers: { '1G': '1 GiB; a longer buffer is EFAULT (io_buffer_validate, up to 6.18)', '1T': '1 TiB; a longer one is EINVAL, and one spanning more than INT_MAX / 8 pages EOVERFLOW (io_validate_user_buf_range, io_pin_pages, 7.2)' },
    evidence: 'io_uring/rsrc.c at v7.2; obs:PIN-02 on 6.18.44',
    host: '1G (obs:PIN-02)',
  },
  shmemUffdEof: {
    question: 'How userfaultfd fills refuse a shmem (memfd) page at or past EOF',
    answers: {
      'SHMEM-MFILL': 'shmem_mfill_atomic_pte: UFFDIO_COPY/ZEROPAGE EFAULT, CONTINUE EINVAL (≤ 7.1)',
      'UFFD-OPS': 'vm_uffd_ops: the alloc_folio hook returns NULL, so COPY/ZEROPAGE ENOMEM; a failed noalloc lookup makes CONTINUE EFAULT (7.2)',
    },
    evidence: 'mm/userfaultfd.c __mfill_atomic_pte, mfill_atomic_pte_continue; mm/shmem.c shmem_mfill_folio_alloc (v7.2); a random run of gmemcheck vm on Debian 7.2.13 (docs/probe-records/linux-7.2.13-qemu.md)',
    host: 'SHMEM-MFILL',
  },
  dioAlign: {
    question: 'Whether O_DIRECT pins a user buffer before it checks the buffer against the device\'s DMA alignment (MAP-32: what a refused buffer leaves faulted in)',
    answers: {
      'PIN-FIRST': 'the pages are pinned (faulted in, a private mapping\'s COW-broken) and the bio is refused afterwards: EINVAL with the prefix resident (6.18.44, measured)',
      'CHECK-FIRST': 'iov_iter_extract_bvecs checks the address and length against the DMA alignment mask before it pins a page: EINVAL with nothing faulted; a cut-short pin of an accepted buffer ends in EFAULT (bio_iov_iter_align_down), never EINVAL (7.2)',
    },
    evidence: 'lib/iov_iter.c iov_iter_extract_bvecs, block/bio.c bio_iov_iter_get_pages and bio_iov_iter_align_down, fs/iomap/direct-io.c iomap_dio_bio_iter_one (v7.2); gmemcheck vm on Debian 7.2.13 and obs:DIO-08 on 6.18.44 (probe dioMisalignedPins)',
    host: 'PIN-FIRST (obs:DIO-08)',
  },
};
