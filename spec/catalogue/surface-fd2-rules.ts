/**
 * The rules of the rest of the fd-level calls (issue 15, second part; docs/kernel-surface.md rows
 * B10, B17, B18, B35, B36, C01–C10, C13, D02, D03, D05). Same format as ./surface-fd-rules.ts.
 * Kernel sources are read at v7.2 (Debian's linux-source-7.2, 7.2.13) unless a rule names another
 * release; the memfd answers are measured on this host's 6.18.44 kernel (obs:FDC-09..11,
 * docs/probe-records/linux-6.18.44-nogmem-fd.md). LIFE-10, LIFE-12 and FIO-22, which these calls
 * extend, keep their entries in ./surface-fd-rules.ts.
 */
import type { RuleText } from './entry.js';

export const SURFACE_FD2_RULES: readonly RuleText[] = [
  {
    id: 'FIO-24',
    statement: '`posix_fadvise` on a gmem (or memfd) fd succeeds without effect for the six advice values (NORMAL, RANDOM, SEQUENTIAL, WILLNEED, DONTNEED, NOREUSE) and fails with `EINVAL` for any other value or a negative length: both files sit behind the noop backing device, so no page is read, dropped or written. A negative offset is accepted on 6.18 and `EINVAL` since "[PATCH v2] mm/fadvise: validate offset in generic_fadvise" (Kevin Lourenco, 8 Feb 2026; in v7.2): under P-FSMAGIC=ANON (6.18) it is accepted, under GMEMFS both are allowed. `readahead` on a gmem fd is `EINVAL` (an anonymous inode); on memfd it is `fadvise(WILLNEED)` with the count as the length.',
    status: 'UP (generic); negative offset: 6.18 accepted, v7.2 EINVAL',
    observability: 'OBS',
    measured: 'fadvise DONTNEED keeps gmem data (obs:DM-20); readahead EINVAL on gmem (obs:FO-2x); on memfd: advice 0..5 → 0, 6 and 7 EINVAL, offset −1 → 0 and length −1 EINVAL on 6.18.44, readahead(−1) → 0 (obs:FDC-10)',
    src: 'mm/fadvise.c `ksys_fadvise64_64`, `generic_fadvise` (noop_backing_dev_info); mm/readahead.c `ksys_readahead` (`IS_ANON_FILE`), v7.2; "[PATCH v2] mm/fadvise: validate offset in generic_fadvise" (Kevin Lourenco, 8 Feb 2026).',
  },
  {
    id: 'FIO-26',
    statement: 'A successful fallocate through a gmem fd (allocation or punch) raises no inotify event on a watch of its inode, and neither does a failed one: `vfs_fallocate` calls `fsnotify_modify` on success, but a gmem file is a pseudo file, which `alloc_file_pseudo` marks FMODE_NONOTIFY, and guest_memfd does not turn notifications back on (6.18 reaches it through `anon_inode_create_getfile`, 7.2 directly). A memfd is a pseudo file too and behaves the same; only a file opened by path (a re-open of a memfd through /proc/self/fd/N, impossible for gmem: LIFE-16) notifies. The fallocate itself answers as FIO-* say. This corrects the first proposal of FIO-26 in docs/kernel-surface-rules.md ("one IN_MODIFY per successful fallocate").',
    status: 'UP (generic VFS: pseudo files without fsnotify)',
    observability: 'OBS',
    measured: 'on memfd: no IN_MODIFY for fallocate, punch, pwrite or MADV_REMOVE through the memfd, IN_MODIFY for ftruncate, IN_ATTRIB for fchmod, IN_MODIFY for a fallocate through a /proc/self/fd re-open (obs:FDC-13)',
    src: 'fs/open.c `vfs_fallocate` (`fsnotify_modify` when the call succeeded); fs/file_table.c `alloc_file_pseudo` (`file_set_fsnotify_mode(file, FMODE_NONOTIFY)`); include/linux/fsnotify.h `fsnotify_modify`, `fsnotify_file`; virt/kvm/guest_memfd.c `__kvm_gmem_create`, v7.2.',
  },
  {
    id: 'FIO-27',
    statement: 'io_uring READ, WRITE, READV, WRITEV, READ_FIXED and WRITE_FIXED on a gmem fd never move data. The completion carries, in this order: `EBADF` for a closed fd; the rw_flags word as `kiocb_set_rw_flags` judges it (unknown bits `EOPNOTSUPP`, APPEND with NOAPPEND `EINVAL`, NOWAIT/ATOMIC/DONTCACHE `EOPNOTSUPP` on a file without those capabilities) — before anything else of the file, unlike preadv2 (FIO-20); RWF_HIPRI `EINVAL` (it needs an IOPOLL ring); then `EINVAL`: the file has no read_iter/read nor write_iter/write, whatever the position or length, and O_NONBLOCK changes nothing (the first non-blocking issue is punted to a worker). Under the write() series a write goes the way pwritev2 does (FIO-29). On memfd the same flag checks come first, then the read or write happens as preadv2/pwritev2 with that word would do it (offset −1 uses and moves the file position).',
    status: 'UP (io_uring generic)',
    observability: 'OBS',
    measured: 'on memfd: every opcode reads and writes, RWF_HIPRI EINVAL, unknown bits and bit 31 EOPNOTSUPP, RWF_APPEND writes at EOF, offset −1 moves the position, −2 EINVAL, O_NONBLOCK no change (obs:FDC-12); the gmem EINVAL is DERIVED from source',
    src: 'io_uring/rw.c `__io_prep_rw`, `io_rw_init_file`, `__io_read`, `io_write`, `io_iter_do_read`, `io_kiocb_update_pos`; io_uring/io_uring.c `io_file_get_flags`, `io_queue_async`; include/linux/fs.h `kiocb_set_rw_flags`, v7.2.',
  },
  {
    id: 'FIO-28',
    statement: 'The generic ioctls on a gmem fd: FIOCLEX/FIONCLEX → 0 (LIFE-12); FIONBIO → 0, O_NONBLOCK then shows in F_GETFL; FIOASYNC with 0 → 0, with anything else `ENOTTY` (no fasync method); FIGETBSZ → 0 and writes 4096 (the pseudo superblock\'s block size: the case is answered before any question about the inode); FS_IOC_FIEMAP → `EOPNOTSUPP` (no fiemap method; not `ENOTTY`); FIOQSIZE, FIONREAD, FIBMAP, FS_IOC_GETFLAGS/SETFLAGS/FSGETXATTR/FSSETXATTR, FS_IOC_GETFSUUID, FS_IOC_GETFSSYSFSPATH, every KVM number and every unknown number (bit 31 direction, all ones, 0) → `ENOTTY`: the inode is an anonymous one (IS_ANON_FILE), it has no fileattr methods, its superblock has no UUID or sysfs name, and the file has no `unlocked_ioctl` (the conversion series add one whose default branch is `ENOTTY` too). A memfd answers the common ones alike and differs where GEN-SHMEM-IOCTL says.',
    status: 'UP (generic VFS; gmem fops v6.18 = v7.2)',
    observability: 'OBS',
    measured: 'FIONREAD, FS_IOC_GETFLAGS, FIBMAP and KVM ioctls ENOTTY, FIONBIO 0 on gmem (obs:FD-26..29); on memfd the common answers: FIGETBSZ 4096, FIEMAP EOPNOTSUPP, FIOASYNC 0/ENOTTY, SYSFSPATH ENOTTY, raw numbers ENOTTY (obs:FDC-09)',
    src: 'fs/ioctl.c `do_vfs_ioctl`, `ioctl_fionbio`, `ioctl_fioasync`, `ioctl_fiemap`, `ioctl_getfsuuid`, `ioctl_get_fs_sysfs_path`, `vfs_ioctl`; fs/file_attr.c `vfs_fileattr_get`, `vfs_fileattr_set`; fs/libfs.c `alloc_anon_inode` (S_ANON_INODE), `pseudo_fs_fill_super`; virt/kvm/guest_memfd.c `kvm_gmem_fops`, `__kvm_gmem_create`, v7.2; "[PATCH RFC v5 11/53] KVM: guest_memfd: Ensure pages are not in use before conversion" series `kvm_gmem_ioctl`.',
  },
  {
    id: 'LIFE-14',
    statement: 'A gmem fd is always ready: `poll` reports POLLIN|POLLOUT of the events asked at once and never POLLPRI, `select` puts it in the read and write sets and not in the exceptional one (the VFS default mask of a file without a poll method); `epoll_ctl(ADD)` refuses it with `EPERM` (a file that cannot poll). A negative fd is skipped by `poll` (revents 0).',
    status: 'UP (generic VFS)',
    observability: 'OBS',
    measured: 'POLLIN|POLLOUT on gmem (obs:FD-2x); on memfd: poll revents 0x5, select read+write, epoll_ctl ADD EPERM (obs:FDC-11)',
    src: 'include/linux/poll.h `vfs_poll` (DEFAULT_POLLMASK); fs/select.c `do_pollfd`, `do_select`; fs/eventpoll.c `do_epoll_ctl` (`file_can_poll`), v7.2.',
  },
  {
    id: 'LIFE-15',
    statement: 'A gmem file cannot be executed: `execveat(fd, "", AT_EMPTY_PATH)` (and the same with AT_EXECVE_CHECK, which makes every check of an exec and returns 0 instead of loading) fails with `EACCES` in the open for execution, because its mount is noexec (SB_I_NOEXEC: anon_inodefs on 6.18, the guest_memfd pseudo fs since), whatever the inode\'s mode; a memfd lives on the internal shmem mount, which allows exec, so its mode decides (CAP_DAC_OVERRIDE needs any x bit; `EACCES` with none). It cannot be linked into a directory either: `linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH)` fails with `EXDEV` (the file lives on an internal mount — anon_inodefs on 6.18, the guest_memfd mount since — never the directory\'s); a memfd likewise (the internal shmem mount). A closed fd is `EBADF`. The descriptor an O_PATH open of /proc/self/fd/N gives is no open file for the calls that need one: ftruncate (after its length check: a negative length is `EINVAL` first), fallocate, mmap, ioctl and fchmod are `EBADF`; fstat and fstatfs work.',
    status: 'UP (generic VFS)',
    observability: 'OBS',
    measured: 'exec check: on memfd 0 at mode 0777/0100/0010 as root, EACCES at mode 0, EACCES on an anon inode (obs:KFD-06); linkat EXDEV on gmem (obs:FD-30); on memfd: linkat EXDEV, the O_PATH fd: fstat, fstatfs 0, the five others EBADF, ftruncate −1 EINVAL (obs:FDC-11)',
    src: 'fs/exec.c `do_open_execat`, `bprm_execve` (AT_EXECVE_CHECK: `is_check`), fs/namei.c `may_open` (`path_noexec`), `generic_permission`; fs/anon_inodes.c `anon_inodefs_init_fs_context`, v6.18; virt/kvm/guest_memfd.c `kvm_gmem_init_fs_context`, v7.2; fs/namei.c `do_linkat` (`old_path.mnt != new_path.mnt`); fs/open.c `do_sys_ftruncate`, `vfs_fallocate`; fs/file.c `fdget` (FMODE_PATH files skipped), `fdget_raw`; fs/stat.c `vfs_fstat`; fs/statfs.c `fd_statfs`, v7.2.',
  },
  {
    id: 'GEN-SHMEM-IOCTL',
    statement: 'The generic ioctls where a memfd (a shmem file, not an anonymous inode) differs from gmem: FIOQSIZE writes the bytes allocated (i_blocks: the pages shmem holds for the file); FIONREAD writes the size minus the file position as an int (negative past EOF); FIBMAP is `EINVAL` (no bmap method; `EPERM` first without CAP_SYS_RAWIO); FS_IOC_GETFLAGS and FS_IOC_FSGETXATTR read the shmem flags (0, as the vocabulary only ever writes zero with SETFLAGS/FSSETXATTR, which succeed); FS_IOC_GETFSUUID writes the 16-byte UUID tmpfs generates at mount.',
    status: 'UP (generic)',
    observability: 'OBS',
    measured: 'obs:FDC-09',
    src: 'fs/ioctl.c `do_vfs_ioctl` (FIOQSIZE `inode_get_bytes`, FIONREAD), `file_ioctl`, `ioctl_fibmap`, `ioctl_getfsuuid`; fs/file_attr.c `ioctl_getflags`, `ioctl_setflags`, `ioctl_fsgetxattr`, `ioctl_fssetxattr`; mm/shmem.c `shmem_fileattr_get`, `shmem_fileattr_set`, `shmem_fill_super`, v7.2.',
  },
];
