/**
 * The numbered rules of the kernel surface a guest_memfd fd or mapping meets beyond the core
 * guest_memfd calls (issue 15; docs/kernel-surface.md lists every call considered and its status,
 * docs/kernel-surface-rules.md the research behind these rules). Same format and rendering as
 * ./kernel-rules.ts; kept in their own file so that the two lists grow without touching each other.
 * Kernel sources are read at v7.2 (Debian's linux-source-7.2, 7.2.13) unless a rule names another
 * release; `obs:` ids are measurements recorded in docs/probe-records.
 */
import type { RuleText } from './entry.js';

export const SURFACE_RULES: readonly RuleText[] = [
  {
    id: 'ENV-10',
    statement: '`KVM_CHECK_EXTENSION` and `KVM_CREATE_VM` take their argument as a 64-bit word and compare all of it: a capability number with any bit from 31 up (bit 32 on a known number, bit 63, all ones) is no capability and answers 0; a VM type with any bit from 32 up is `EINVAL`. Neither ever answers as the value its low 32 bits name.',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'a VM type 2^32 → EINVAL; cap 10|2^32 and 2^63 → 0 (obs:W64-01, W64-02)',
    src: 'virt/kvm/kvm_main.c `kvm_vm_ioctl_check_extension_generic` (switch on the `long` argument), `kvm_dev_ioctl_create_vm` (`unsigned long type`); arch/x86/kvm/x86.c `kvm_vm_ioctl_check_extension` (default 0), `kvm_is_vm_type_supported` (`type < 32`), v7.2.',
  },
  {
    id: 'MAP-19',
    statement: 'mmap\'s `prot` is an `unsigned long` of which only READ, WRITE and EXEC reach the VMA: `PROT_SEM`, bit 31 and bits 32..63 are ignored, never refused. `mprotect` instead refuses any bit outside READ|WRITE|EXEC|SEM (bits 32..63 included) with `EINVAL`, refuses GROWSDOWN together with GROWSUP with `EINVAL` before anything else, and GROWSDOWN or GROWSUP alone on a VMA that cannot grow (every gmem and memfd VMA) with `EINVAL` after the VMA lookup.',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'mmap with SEM, bit 32 and bit 63 accepted; mprotect with SEM 0, with bit 32, GROWSDOWN or both GROWS* bits EINVAL, on memfd (obs:W64-03, W64-04)',
    src: 'mm/mmap.c `do_mmap` (`calc_vm_prot_bits`); mm/mprotect.c `do_mprotect_pkey`; include/linux/mman.h `arch_validate_prot` (the generic one: x86 has none of its own), v7.2.',
  },
  {
    id: 'POL-21',
    statement: '`mbind`\'s mode is an `unsigned long` that the kernel keeps in an `int`: bits 32..63 are dropped silently (BIND with bit 32 set is BIND), and bit 31 makes the mode negative, hence invalid (`EINVAL`).',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'BIND|2^32 → 0 and reported as BIND; BIND|2^31 → EINVAL, on memfd (obs:W64-05, W64-06)',
    src: 'mm/mempolicy.c `kernel_mbind` (`int lmode = mode`), `sanitize_mpol_flags` (`(unsigned int)mode >= MPOL_MAX`), v7.2.',
  },
  {
    id: 'MAP-31',
    statement: '`/proc/self/mem` reads and writes a mapping through GUP with `FOLL_FORCE` (the default `proc_mem.force_override`), page by page: shared in-bounds pages move; at the first private, EOF or userfault-registered page it stops and reports the bytes moved, or `EIO` if none. FORCE reads a mapping whatever its protection; a FORCE write without `VM_WRITE` only breaks COW, so it works through a private mapping and fails (`EIO`) through a read-only or PROT_NONE shared one (every gmem mapping is shared). A NO_DIRECT_MAP file refuses it (`EIO`, DMAP-5). A kernel built or booted without FORCE honours the permissions like any GUP: both conform.',
    status: 'UP (generic GUP; the gmem part follows MAP-9)',
    observability: 'OBS',
    measured: 'on memfd: short count to the byte at EOF, EIO past it; FORCE write through a read-only shared mapping EIO, FORCE read of PROT_NONE works, FORCE write through a private read-only mapping COWs (obs:KA-01, KA-02, KA-04..06); on gmem 6.18.44: shared ok, private EIO (obs:GUP-G-*, GUP-P-*)',
    src: 'fs/proc/base.c `mem_rw` (`proc_mem_foll_force`, `-EIO` when nothing moved); mm/memory.c `__access_remote_vm`; mm/gup.c `check_vma_flags` (FORCE write only for COW mappings), v7.2; obs:GUP-G-*, GUP-P-* (shared ok, private EIO).',
  },
  {
    id: 'MAP-32',
    statement: 'O_DIRECT I/O with a buffer in a gmem mapping pins the buffer with GUP (`FOLL_PIN`): reading a file into shared pages stores the file\'s bytes there, writing a file from them stores the gmem bytes; the transfer stops at the first page that cannot be pinned (private, EOF, NO_DIRECT_MAP) and reports the bytes before it, or `EFAULT`. A request not aligned to the filesystem\'s block is the filesystem\'s choice: iomap refuses it with `EINVAL`, ext4 falls back to buffered I/O (a user copy, MAP-34); below a page the logical block size decides.',
    status: 'UP (generic block I/O)',
    observability: 'OBS',
    measured: 'on memfd over ext4: a DMA cut short at EOF answers EFAULT after moving the pinned prefix; a 100-byte length EINVAL; a buffer at an odd address EINVAL, at +100 (one page) accepted (obs:DIO-01..05); on gmem 6.18.44: shared ok, private EFAULT (obs:GUP-G-*, GUP-P-*)',
    src: 'block/bio.c `bio_iov_iter_get_pages`; fs/iomap/direct-io.c `iomap_dio_bio_iter`; fs/ext4/file.c `ext4_should_use_dio`, v7.2; obs:GUP-G-*, GUP-P-* (ext4).',
  },
  {
    id: 'MAP-33',
    statement: '`vmsplice` of a gmem range into a pipe takes page references through GUP (for read): shared pages are spliced and the call returns the bytes of the pages it got; private or EOF pages and a NO_DIRECT_MAP file stop it (`EFAULT` if nothing was spliced). It takes at most the pages the pipe has room for. The pipe holds the pages themselves, so what it returns later is what the pages hold then.',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'on memfd: spliced up to EOF to the byte, EFAULT past it (obs:KA-01, KA-02)',
    src: 'fs/splice.c `vmsplice_to_pipe`, `iter_to_pipe` (`iov_iter_get_pages2`; stops when the pipe is full), v7.2; obs:GUP-G-*, GUP-P-*.',
  },
  {
    id: 'MAP-34',
    statement: 'User copies into or out of a gmem mapping (`read` from a pipe into it, `write` to a pipe from it, the local side of `process_vm_readv/writev`) go through the user page tables, not GUP: shared pages are copied; a page whose fault would raise SIGBUS or SIGSEGV (private, EOF, no permission, a userfault in a user-mode-only context) ends the copy with no signal, exactly at its first byte. `process_vm_*` report the bytes copied; a pipe counts whole 4096-byte buffers, so a buffer cut short is not counted although its first bytes landed; nothing counted → `EFAULT`. NO_DIRECT_MAP does not stop them (DMAP-20).',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'on memfd: process_vm_* local side counts to the byte; pipes count whole buffers (obs:KA-01..03); on gmem 6.18.44: shared ok, private EFAULT (obs:GUP-G-*, GUP-P-*)',
    src: 'fs/pipe.c `pipe_read`, `pipe_write` (a short copy of a buffer ends the call, `-EFAULT` if it was the first); mm/process_vm_access.c `process_vm_rw_pages`; arch/x86/lib/copy_user_64.S (copies stop exactly at the faulting byte), v7.2; obs:GUP-G-*, GUP-P-* (pipe read/write ok / EFAULT).',
  },
  {
    id: 'MAP-35',
    statement: 'Futexes on a gmem word: the address must be 4-byte aligned (`EINVAL`). A shared futex keys the word by its page, which `get_futex_key` pins with GUP (for write, then for read when the mapping is read-only): on private or EOF pages, and on a NO_DIRECT_MAP file, `WAIT` and `WAKE` fail with `EFAULT`. A private futex needs no GUP: `WAKE_PRIVATE` reads nothing and wakes 0 wherever it points, `WAIT_PRIVATE` reads the word with a user access (`EFAULT` on private pages, fine under NO_DIRECT_MAP). `WAIT` with a zero timeout answers `EAGAIN` when the word differs from the expected value and `ETIMEDOUT` when it matches.',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'on memfd: WAIT EAGAIN/ETIMEDOUT, unaligned EINVAL, EOF EFAULT, WAKE_PRIVATE at EOF 0, unknown ops ENOSYS (obs:FX-01..05)',
    src: 'kernel/futex/core.c `get_futex_key`; kernel/futex/waitwake.c `futex_wait_setup`, `futex_wake`, v7.2; obs:GUP-G-*, GUP-P-* (futex ok / EFAULT).',
  },
  {
    id: 'DMAP-20',
    statement: 'For a NO_DIRECT_MAP file, user copies into and out of its host mapping (pipe read/write, the local side of `process_vm_*`, `WAIT_PRIVATE` reading a futex word) keep working, while every GUP path fails (`EFAULT`; `EIO` for `/proc/self/mem`). The first user-copy fault of a folio removes its direct map as a host fault does (DMAP-3).',
    status: 'PROP:no-direct-map v12',
    observability: 'Y-ABSENT',
    src: 'S12 (GUP refused for the mapping; user page tables untouched); obs:GUP-S-00..17 (memfd_secret: GUP fails, user copies work).',
  },
  {
    id: 'MAP-36',
    statement: 'io_uring buffer registration (`IORING_REGISTER_BUFFERS`) over a range of a gmem mapping takes a long-term write pin (`FOLL_WRITE|FOLL_LONGTERM`) on every page or on none: a range with a private, EOF or userfault-registered page, a read-only or PROT_NONE mapping, or a NO_DIRECT_MAP file is `EFAULT` (the pages before the failing one were faulted in on the way). Shared gmem pages may be pinned long-term because a gmem mapping needs no dirty tracking. Before any page is pinned: an iovec length with bit 63 set is `EINVAL`, a zero length `EFAULT`, and a buffer over io_uring\'s cap is refused (up to 6.18: over 1 GiB, `EFAULT`; 7.2: over 1 TiB `EINVAL`, more than INT_MAX / 8 pages `EOVERFLOW`; P-IOURING-BUFMAX). A MAP_PRIVATE mapping of memfd gets its pages copied and the pin holds the copies.',
    status: 'UP (generic io_uring and GUP; the 1 GiB → 1 TiB cap changed after 6.18)',
    observability: 'OBS',
    measured: 'on memfd: all or nothing (EFAULT at EOF), read-only EFAULT, 0 bytes EFAULT, 2^40 and 2^40 + 1 bytes EFAULT (the 6.18 cap), 2^63 EINVAL, a private mapping pinned through its copies (obs:PIN-01..03); on gmem 6.18.44: REGISTER_BUFFERS ok on shared (obs:GUP-G-*)',
    src: 'io_uring/rsrc.c `io_sqe_buffer_register`, `io_validate_user_buf_range`; io_uring/memmap.c `io_pin_pages` (pin_user_pages_fast FOLL_WRITE|FOLL_LONGTERM; a partial pin is undone: EFAULT); mm/gup.c `check_vma_flags`, `writable_file_mapping_allowed`, v7.2; 6.18: io_uring/rsrc.c `io_buffer_validate` (SZ_1G, EFAULT).',
  },
  {
    id: 'MAP-37',
    statement: 'A pin holds pages, not file offsets. While a pinned page stays in the file, what the pin reads is what the file holds (a later store through any mapping shows through the pin, for io_uring and for a vmspliced pipe alike). A punch hole, a truncation or the file\'s release takes the page out of the file but not out of the pin: the mapping then faults in a fresh zero page, while the pin keeps reading the old bytes until `unpin` (unregistering the buffer, or closing the pipe). A pin of a private mapping\'s copy keeps that copy after munmap. Reading through a pin: io_uring `WRITE_FIXED` within the registered buffer (past it `EFAULT`); a pipe is read from its head (`pread` on it: `ESPIPE`, `EINVAL` for a negative offset), what is read is gone, and an empty non-blocking pipe is `EAGAIN`.',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'on memfd: a punched page read through an io_uring pin keeps its bytes while the mapping reads the new page; a vmspliced page shows a later store; truncation leaves the pipe its page; munmap leaves an io_uring pin its private copy (obs:PIN-01, PIN-03, PIN-04)',
    src: 'mm/truncate.c `truncate_inode_folio` (the folio leaves the page cache; references keep it); io_uring/rsrc.c `validate_fixed_range`, `io_release_ubuf`; io_uring/rw.c (WRITE_FIXED); fs/pipe.c `pipe_read`; fs/read_write.c `ksys_pread64`, v7.2.',
  },
  {
    id: 'SHR-21',
    qualifier: 'PROP v8',
    statement: 'While a pin made by io_uring buffer registration, or a pipe that received the page by vmsplice, holds a page of the file, a to-private conversion over it fails with `EAGAIN` and `error_offset` = that page\'s file offset (P-CONV-PINS=EAGAIN; under P-CONV-ATOMIC=PREFIX-CONVERTED the pages before it are converted); after `unpin` the same call succeeds. A page the pin holds but the file no longer does (punched) does not count. To-shared is never refused by references.',
    status: 'PROP v8 (the reference check of "[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion", Ackerley Tng, 28 Apr 2026)',
    observability: 'Y-ABSENT',
    src: '"[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" (Ackerley Tng, 28 Apr 2026): `kvm_gmem_is_safe_for_conversion` compares `folio_ref_count` with `folio_nr_pages + 1`; io_uring/memmap.c `io_pin_pages`, fs/splice.c `iter_to_pipe`, v7.2.',
  },
  {
    id: 'SHR-22',
    qualifier: 'PROP v8',
    statement: 'A to-private conversion unmaps the host PTEs of the range before it checks references, so one that fails with `EAGAIN` still leaves the range unmapped: the data is intact and the next host access faults it back in (the pages are still shared).',
    status: 'PROP v8 (RFC v5 order: `unmap_mapping_pages` before `kvm_gmem_is_safe_for_conversion`)',
    observability: 'Y-ABSENT',
    src: '"[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" (Ackerley Tng, 28 Apr 2026).',
  },
];
