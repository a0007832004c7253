/**
 * The fd-level calls of the wider kernel surface (issue 15, family "fd-level calls";
 * docs/kernel-surface.md section B and D): vectored and flagged I/O, lseek with every whence,
 * sync and attribute calls, fstatfs, fcntl, the splice family in both directions, passing the fd
 * over SCM_RIGHTS, re-opening it and inheriting it across exec. Declared here and spread into
 * ./ops.ts's OPS, so this family grows without touching the other families' lines.
 *
 * Bounds that keep every entry point safe (validated once by ./validate.ts from these fields):
 * byte counts are at most FD_IO_MAX_BYTES (one buffer the target allocates, and a transfer that
 * always fits a 1 MiB pipe, so no splice or sendfile can wait for a reader); iovec counts at most
 * IOV_COUNT_MAX (IOV_MAX + 1, to reach the kernel's refusal); no fcntl command that can wait
 * (F_SETLKW, F_OFD_SETLKW) is in the vocabulary, and a lease is released within the op that took
 * it (a lease left held would make a later open of the file wait lease-break-time seconds).
 */
import { bool, byte, count, creates, enumOf, handle, i64, int, u32, u64, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const fd = handle('fd');
const onFd = (fd: number, offset: bigint, len: bigint): Footprint => ({ fd, offset, len });

/** Largest transfer of the fd-level I/O ops: 16 pages (fits a pipe of the default size). */
export const FD_IO_MAX_BYTES = 65536;
/** UIO_MAXIOV + 1: the first vector count import_iovec refuses. */
export const IOV_COUNT_MAX = 1025;

/** lseek whence values (include/uapi/linux/fs.h); any other number is sent as is. */
export const SEEK = { SET: 0, CUR: 1, END: 2, DATA: 3, HOLE: 4 } as const;
/** readv/writev and the positioned and flagged forms (fs/read_write.c). */
export const FILE_IOV_CALL = { readv: 0, writev: 1, preadv: 2, pwritev: 3, preadv2: 4, pwritev2: 5 } as const;
/** RWF_* bits of preadv2/pwritev2 (include/uapi/linux/fs.h, v7.2: NOSIGNAL is the highest). */
export const RWF = { HIPRI: 0x1, DSYNC: 0x2, SYNC: 0x4, NOWAIT: 0x8, APPEND: 0x10, NOAPPEND: 0x20, ATOMIC: 0x40, DONTCACHE: 0x80, NOSIGNAL: 0x100 } as const;
/** Sync, attribute and identity calls on an fd. */
export const FD_META_CALL = { fsync: 0, fdatasync: 1, syncfs: 2, fchmod: 3, fchown: 4, futimens: 5, fstatfs: 6 } as const;
/**
 * fcntl commands (include/uapi/asm-generic/fcntl.h, linux/fcntl.h). F_SETLK/F_GETLK and the OFD
 * forms lock the whole file with l_type = the low 16 bits of arg; F_SETLEASE takes the lease, reads
 * it back with F_GETLEASE and releases it in the same op. F_NOTIFY (dnotify) and the pipe-size
 * commands only ever refuse a regular file or remove nothing. The waiting forms are left out.
 */
export const FCNTL_CMD = {
  F_GETFD: 1, F_SETFD: 2, F_GETFL: 3, F_SETFL: 4, F_GETLK: 5, F_SETLK: 6, F_OFD_GETLK: 36, F_OFD_SETLK: 37,
  F_SETLEASE: 1024, F_GETLEASE: 1025, F_ADD_SEALS: 1033, F_GET_SEALS: 1034,
  F_NOTIFY: 1026, F_SETPIPE_SZ: 1031, F_GETPIPE_SZ: 1032,
} as const;
/** Status flags F_SETFL may carry (x86-64 octal values of include/uapi/asm-generic/fcntl.h). */
export const O_FLAG = { O_APPEND: 0o2000, O_NONBLOCK: 0o4000, O_DSYNC: 0o10000, O_ASYNC: 0o20000, O_DIRECT: 0o40000, O_NOATIME: 0o1000000 } as const;
/**
 * The splice family. "Out" moves file data out of the fd: sendfile or splice into a pipe, or
 * copy_file_range into a scratch memfd of the target. "In" moves len bytes of value into the fd:
 * splice from a pipe, sendfile from a scratch memfd (sendfile writes at the file position: it has
 * no output offset), copy_file_range from a scratch memfd. offset −1 passes NULL (the file position).
 * teeOut/teeIn: tee(fd, pipe) and tee(pipe, fd); vmsplice: the fd as the pipe, one vector of len bytes.
 */
export const SPLICE_CALL = { sendfileOut: 0, spliceOut: 1, copyOut: 2, sendfileIn: 3, spliceIn: 4, copyIn: 5, teeOut: 6, teeIn: 7, vmsplice: 8 } as const;
/** Reaching the file some other way than through the fd itself (the new fd is closed at once). */
export const FD_REACH = { reopenRdonly: 0, reopenRdwr: 1, reopenPath: 2, execKeeps: 3 } as const;

export const FD_OPS = {
  lseek: decl({
    doc: 'lseek(fd, offset, whence): ok { offset } (the whence is sent as the raw unsigned int)',
    fields: { fd, offset: i64(), whence: u32({ names: SEEK, unknown: 'SEEK?' }) },
  }),
  fileIoV: decl({
    doc: 'readv/writev/preadv/pwritev/preadv2/pwritev2 of len bytes over iovcnt vectors (writes carry value in every byte); offset −1 with the *v2 forms is the file position: ok { count }',
    fields: { fd, call: enumOf(FILE_IOV_CALL), offset: i64(), len: count(FD_IO_MAX_BYTES), iovcnt: count(IOV_COUNT_MAX), rwf: int({ bits: RWF }), value: byte() },
    footprint: (o) => (o.call === 'readv' || o.call === 'writev' || o.offset < 0n ? undefined : onFd(o.fd, o.offset, BigInt(o.len))),
  }),
  fdMeta: decl({
    doc: 'fsync/fdatasync/syncfs, fchmod(mode), fchown(-1, -1), futimens(NULL), fstatfs: ok, or ok { type, bsize, namelen } for fstatfs',
    fields: { fd, call: enumOf(FD_META_CALL), mode: u32('hex') },
  }),
  fcntl: decl({
    doc: 'fcntl(fd, cmd, arg): ok { value } (locks: the whole file, l_type = arg; F_SETLEASE: value = what F_GETLEASE saw, released again)',
    fields: { fd, cmd: enumOf(FCNTL_CMD), arg: u64('hex') },
  }),
  spliceLike: decl({
    doc: 'sendfile/splice/copy_file_range of len bytes out of the fd (to a pipe or a scratch memfd) or into it (value in every byte), tee either way with a pipe, vmsplice with the fd as the pipe; offset −1 = NULL: ok { count }',
    fields: { fd, call: enumOf(SPLICE_CALL), offset: i64(), len: count(FD_IO_MAX_BYTES), flags: u32('hex'), value: byte() },
    footprint: (o) => (o.offset < 0n ? undefined : onFd(o.fd, o.offset, BigInt(o.len))),
  }),
  passFd: decl({
    doc: 'send the fd over an AF_UNIX socketpair (SCM_RIGHTS) and receive it as a new fd (MSG_CMSG_CLOEXEC when cloexec)',
    fields: { fd, id: creates('fd'), cloexec: bool() },
    sameFileAs: 'fd',
  }),
  fdReach: decl({
    doc: 'open /proc/self/fd/N (O_RDONLY, O_RDWR or O_PATH; closed again at once), or exec a child shell and ask whether fd N survived: ok, or ok { open } for execKeeps',
    fields: { fd, how: enumOf(FD_REACH) },
  }),
} as const;
