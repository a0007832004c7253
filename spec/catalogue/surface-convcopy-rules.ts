/**
 * The rules of copy_file_range between two files of the sequence (issue 15, round 5; row B24 of
 * docs/kernel-surface.md). Same format as ./surface-rules.ts. Kernel sources are read at v7.2
 * (Debian's linux-source-7.2) and v6.18 (torvalds/linux); fs/read_write.c's copy path is the same in
 * both. The memfd answers rest on this host's measurements (obs:CCR-01..06).
 */
import type { RuleText } from './entry.js';

export const SURFACE_CONVCOPY_RULES: readonly RuleText[] = [
  {
    id: 'FIO-30',
    statement: '`copy_file_range` with a gmem file at both ends (one file, or two) never moves a byte. Every gmem file lives on one superblock (6.18: the anon_inode mount; since 6.19 the guest_memfd mount), so the call passes the superblock check and runs the generic checks in order — flags ≠ 0 `EINVAL`; an output with O_APPEND `EBADF`; offsets that wrap as u64 `EOVERFLOW`; the count cut at the source\'s EOF (a source offset at or past the size gives 0); an output offset at LLONG_MAX `EFBIG`; overlapping ranges in one file `EINVAL`; a negative offset `EINVAL` — and then the splice fallback fails with `EINVAL` (no `FMODE_LSEEK`; under the write() series, no `splice_read`). A zero count answers 0. A gmem file with a memfd at the other end is `EXDEV` (FIO-25).',
    status: 'UP (generic VFS; gmem fops v6.18 = v7.2)',
    observability: 'Y',
    measured: 'not measurable here (no guest_memfd on this host); the memfd answers of the same checks are obs:CCR-02, CCR-03, CCR-05, CCR-06',
    src: 'fs/read_write.c `SYSCALL copy_file_range`, `vfs_copy_file_range`, `generic_copy_file_checks`, `generic_file_rw_checks`, `generic_write_check_limits`, `rw_verify_area`; fs/splice.c `do_splice_direct`, `splice_direct_to_actor` (FMODE_LSEEK), `do_splice_read` (no splice_read); virt/kvm/guest_memfd.c `kvm_gmem_fops`, `__kvm_gmem_create`, v6.18, v7.2.',
  },
  {
    id: 'GEN-COPY-RANGE',
    statement: '`copy_file_range` between two memfds, or within one, copies the bytes: both live on the shm mount and shmem has no `->copy_file_range` or `->remap_file_range`, so the splice fallback reads the source (holes as zero pages) and writes the destination (allocating its pages, extending its size). The checks come first, in order: both fds (`EBADF`), flags ≠ 0 (`EINVAL`), an output with O_APPEND (`EBADF`; the input may have it), offsets that wrap as u64 (`EOVERFLOW`), the count cut at the source\'s EOF, an output offset at LLONG_MAX (`EFBIG`; a copy ending past it is cut short), overlapping ranges in one file after the cut (`EINVAL`), a negative offset (`EINVAL`), a zero count (0). A NULL offset uses and moves that file\'s position.',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'obs:CCR-01..06',
    src: 'fs/read_write.c `SYSCALL copy_file_range`, `vfs_copy_file_range`, `generic_copy_file_checks`, `generic_write_check_limits`, `rw_verify_area`; fs/splice.c `do_splice_direct`; mm/shmem.c `shmem_file_splice_read`, `shmem_file_operations`; fs/splice.c `iter_file_splice_write`, v7.2.',
  },
];
