/**
 * The rest of the fd-level calls (issue 15, family "fd-level calls", second part;
 * docs/kernel-surface.md rows B10, B17, B18, B35, B36, C01–C10, C13, D02, D03, D05): new
 * descriptors of the same open file (dup3, F_DUPFD_CLOEXEC, pidfd_getfd), the generic ioctls and
 * close_range's close-on-exec, the page-cache hints (posix_fadvise, readahead, sync_file_range) and
 * readiness (poll, select, epoll_ctl). Declared here and spread into ./ops.ts's OPS next to
 * ./ops-fd.ts, so this family grows without touching the other families' lines.
 *
 * Bounds that keep every entry point safe: close_range only ever covers the handle's own fd (first
 * = last = that fd; a dead handle is −1, whose range holds no fd); poll, select and epoll never
 * wait (timeout 0, and the epoll instance is closed in the op); no ioctl that moves data or
 * changes what the vocabulary does not model is issued: FS_IOC_SETFLAGS and FS_IOC_FSSETXATTR write
 * zero flags (the state every file of the vocabulary has), the raw numbers are fixed ones that
 * no generic VFS switch knows.
 */
import { byte, count, creates, enumOf, handle, i64, int, u32, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';
import { FD_IO_MAX_BYTES, RWF } from './ops-fd.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const fd = handle('fd');

/** How a new descriptor of the same open file is made. */
export const FD_DUP_HOW = { dup3: 0, dup3Cloexec: 1, dupfd: 2, dupfdCloexec: 3, pidfdGetfd: 4 } as const;

/**
 * The generic ioctl numbers of fs/ioctl.c do_vfs_ioctl (x86-64 values of include/uapi/asm-generic/
 * ioctls.h and include/uapi/linux/fs.h), a KVM number, and fixed raw numbers no switch knows:
 * _IO('f', 0xff), the same with bit 31 (direction "read"), all ones, and 0. closeRangeCloexec is
 * close_range(fd, fd, CLOSE_RANGE_CLOEXEC): not an ioctl, grouped here because it is the third way
 * (with FIOCLEX and F_SETFD) to set the descriptor's close-on-exec.
 */
export const FD_IOCTL = {
  FIOCLEX: 0x5451, FIONCLEX: 0x5450, FIONBIO: 0x5421, FIOASYNC: 0x5452, FIOQSIZE: 0x5460,
  FIGETBSZ: 0x2, FIONREAD: 0x541b, FIBMAP: 0x1, FS_IOC_FIEMAP: 0xc020660b,
  FS_IOC_GETFLAGS: 0x80086601, FS_IOC_SETFLAGS: 0x40086602, FS_IOC_FSGETXATTR: 0x801c581f, FS_IOC_FSSETXATTR: 0x401c5820,
  FS_IOC_GETFSUUID: 0x80111500, FS_IOC_GETFSSYSFSPATH: 0x80811501,
  KVM_CREATE_GUEST_MEMFD: 0xc040aed4, rawUnknown: 0x66ff, rawBit31: 0x800066ff, rawAllOnes: 0xffffffff, rawZero: 0,
  closeRangeCloexec: -1,
} as const;

/** posix_fadvise (advice in `word`), readahead (offset, len as the size_t count), sync_file_range (flags in `word`). */
export const FD_ADVISE_CALL = { fadvise: 0, readahead: 1, syncFileRange: 2 } as const;
/** POSIX_FADV_* (include/uapi/linux/fadvise.h, x86-64: DONTNEED 4, NOREUSE 5). */
export const FADV = { NORMAL: 0, RANDOM: 1, SEQUENTIAL: 2, WILLNEED: 3, DONTNEED: 4, NOREUSE: 5 } as const;
/** SYNC_FILE_RANGE_* (include/uapi/linux/fs.h). */
export const SYNC_FILE_RANGE = { WAIT_BEFORE: 1, WRITE: 2, WAIT_AFTER: 4 } as const;

/**
 * io_uring read and write opcodes (include/uapi/linux/io_uring.h IORING_OP_*): the value is the
 * opcode. READV/WRITEV carry one iovec; the _FIXED forms use a buffer registered on the ring.
 */
export const URING_RW_OP = { readv: 1, writev: 2, readFixed: 4, writeFixed: 5, read: 22, write: 23 } as const;

/**
 * The file reached as a path, /proc/self/fd/N: truncate(path, arg), chmod(path, arg), chown(path,
 * −1, −1), utimensat(AT_FDCWD, path, NULL, 0), linkat(fd, "", AT_FDCWD, a fresh name in the
 * harness's temporary directory, AT_EMPTY_PATH) (the name is removed again if the link is made);
 * or through an O_PATH descriptor opened on that path (closed again in the op): fstat, fstatfs,
 * ftruncate(arg), fallocate(0, 0, 4096), mmap of a page (unmapped again), ioctl(FIGETBSZ), fchmod(arg).
 */
export const PATH_CALL = {
  truncate: 0, chmod: 1, chown: 2, utimensat: 3, linkat: 4,
  opathFstat: 5, opathFstatfs: 6, opathFtruncate: 7, opathFallocate: 8, opathMmap: 9, opathIoctl: 10, opathFchmod: 11,
} as const;

/** poll(POLLIN|POLLOUT|POLLPRI, timeout 0); select on read, write and except sets (timeout 0); epoll_ctl(ADD, EPOLLIN) on a fresh epoll. */
export const FD_POLL_HOW = { poll: 0, select: 1, epollAdd: 2 } as const;

export const FD2_OPS = {
  fdDup: decl({
    doc: 'a new descriptor of the same open file: dup3(fd, n, 0 or O_CLOEXEC) onto a free number n, fcntl(F_DUPFD or F_DUPFD_CLOEXEC), or pidfd_getfd(pidfd_open(self), fd, 0)',
    fields: { fd, id: creates('fd'), how: enumOf(FD_DUP_HOW) },
    sameFileAs: 'fd',
  }),
  fdIoctl: decl({
    doc: 'ioctl(fd, req, &word) with word = arg (an int; zero flags for SETFLAGS/FSSETXATTR), or close_range(fd, fd, CLOSE_RANGE_CLOEXEC): ok { value } = what the call wrote (the int, loff_t or flags word; the UUID or sysfs path length; 0 where it writes nothing)',
    fields: { fd, req: enumOf(FD_IOCTL), arg: u32('hex') },
  }),
  fdAdvise: decl({
    doc: 'posix_fadvise(fd, offset, len, word), readahead(fd, offset, len), sync_file_range(fd, offset, len, word): ok',
    fields: { fd, call: enumOf(FD_ADVISE_CALL), offset: i64(), len: i64(), word: u32('hex') },
  }),
  fdUring: decl({
    doc: 'io_uring READ/WRITE/READV/WRITEV/READ_FIXED/WRITE_FIXED of len bytes at offset (−1 = the file position) with rw_flags = rwf, on a fresh ring of a short-lived thread (writes carry value in every byte): ok { count } = the completion\'s result',
    fields: { fd, call: enumOf(URING_RW_OP), offset: i64(), len: count(FD_IO_MAX_BYTES), rwf: int({ bits: RWF }), value: byte() },
    footprint: (o): Footprint | undefined => (o.offset < 0n ? undefined : { fd: o.fd, offset: o.offset, len: BigInt(o.len) }),
  }),
  pathCall: decl({
    doc: 'truncate/chmod/chown(−1, −1)/utimensat(NULL) of /proc/self/fd/N, linkat(fd, "", …, AT_EMPTY_PATH), or a call through an O_PATH fd of it (fstat, fstatfs, ftruncate, fallocate, mmap, ioctl, fchmod): ok',
    fields: { fd, call: enumOf(PATH_CALL), arg: i64() },
  }),
  fdPoll: decl({
    doc: 'poll (ok { mask } = revents), select (ok { mask }: 1 readable, 2 writable, 4 exceptional) or epoll_ctl ADD (ok { mask: 0 }) of the fd, never waiting',
    fields: { fd, how: enumOf(FD_POLL_HOW) },
  }),
} as const;
