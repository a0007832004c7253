/**
 * The fd-level calls of the wider surface: lseek, vectored I/O, sync/attribute/statfs calls, fcntl,
 * the splice family, SCM_RIGHTS passing, /proc/self/fd re-opening and exec inheritance. Modelled
 * on the kernel's own structure: a gmem file is an open file whose file_operations have only
 * mmap/open/release/fallocate (so each VFS helper fails where it needs a missing method or mode
 * bit), a memfd is a shmem file. Each function follows the kernel function's check order.
 */
import { err, ok, FCNTL_CMD, FILE_IOV_CALL, RWF, SEEK } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Inode, OpenFile } from '../state.js';
import { asLoff, LOFF_MAX } from '../i64.js';
import { gmemWrite, writeSeries } from '../gmemwrite.js';
import { memfdAppend, memfdWrite } from '../memfdio.js';

/** File mode bits the VFS sets up for each kind of file (FMODE_* of the struct file). */
interface Fmode {
  readonly lseek: boolean;
  readonly pread: boolean;
  readonly pwrite: boolean;
  readonly canRead: boolean;
  readonly canWrite: boolean;
  readonly spliceRead: boolean;
  readonly spliceWrite: boolean;
  readonly fsync: boolean;
  readonly setattr: boolean;
  readonly setlease: boolean;
}

const O_RDWR_LARGEFILE = 0x8002;
const O_APPEND = 0x400;
const O_NONBLOCK = 0x800;
const O_DIRECT = 0x4000;
const O_NOATIME = 0x40000;

/** What the VFS sees of each file: gmem's fops (mmap/open/release/fallocate), the write() series' additions, shmem's fops. */
export const fmode = (k: Kernel, inode: Inode): Fmode => {
  if (inode.kind === 'memfd') {
    return { lseek: true, pread: true, pwrite: true, canRead: true, canWrite: true, spliceRead: true, spliceWrite: true, fsync: true, setattr: true, setlease: true };
  }
  const w = writeSeries(k);
  // kernel_setlease without ->setlease: the generic code on the anon-inode (6.18) file; this
  // model takes the later kernels' EINVAL for the guest_memfd pseudo fs (the spec allows both there).
  const setlease = k.profile.variants.fsMagic === 'ANON';
  return { lseek: w, pread: false, pwrite: w, canRead: false, canWrite: w, spliceRead: k.bug('gmem-splice-read'), spliceWrite: false, fsync: false, setattr: false, setlease };
};

const file = (k: Kernel, fd: number): OpenFile | undefined => k.fds.get(fd);
const appendOn = (inode: Inode): boolean => ((inode.fl ?? 0) & O_APPEND) !== 0;
/** rw_verify_area. */
const verifyArea = (pos: bigint, count: number): boolean => pos >= 0n && pos + BigInt(count) <= LOFF_MAX;

// --- lseek -------------------------------------------------------------------------------------

/** Is page p data for SEEK_DATA/SEEK_HOLE (an up-to-date folio, or an up-to-date fallocated extent)? Returns the end of the run. */
const dataRunEnd = (inode: Inode, p: number, limit: number): number => {
  const f = inode.folios.get(p);
  if (f) return f.uptodate ? p + 1 : p;
  for (const [, b, v] of inode.alloc.overlaps(p, p + 1)) if (v.uptodate) return Math.min(b, limit);
  return p;
};

/** The first data page at or after p below limit, or limit. */
const nextData = (inode: Inode, p: number, limit: number): number => {
  let best = limit;
  for (const [q, f] of inode.folios) if (f.uptodate && q >= p && q < best) best = q;
  for (const [a, , v] of inode.alloc.overlaps(p, limit)) if (v.uptodate && a < best) best = a;
  return best;
};

const setPos = (inode: Inode, pos: bigint): Outcome => {
  if (pos < 0n) return err('EINVAL');
  inode.pos = pos;
  return ok({ offset: pos });
};

export const lseek = (k: Kernel, op: OpOf<'lseek'>): Outcome => {
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  const inode = f.inode;
  // Bug: the whence is compared as a signed int, so bit 31 (and -1) pass on to the file.
  const whence = k.bug('lseek-whence-signed') && inode.kind === 'gmem' ? op.whence | 0 : op.whence;
  if (whence > SEEK.HOLE) return err('EINVAL');
  const m = fmode(k, inode);
  if (!m.lseek) return err('ESPIPE');
  const off = op.offset;
  const size = inode.size;
  switch (op.whence) {
    case SEEK.SET: return setPos(inode, off);
    case SEEK.CUR: return off === 0n ? ok({ offset: inode.pos }) : setPos(inode, asLoff(inode.pos + off));
    case SEEK.END: return setPos(inode, asLoff(size + off));
    default: break;
  }
  if (inode.kind === 'gmem') {
    // default_llseek: the whole file below i_size is data.
    if (off >= size) return err('ENXIO');
    return setPos(inode, op.whence === SEEK.DATA ? off : size);
  }
  if (off < 0n || off >= size) return err('ENXIO');
  const limit = Number((size + 4095n) / 4096n);
  let p = Number(off / 4096n);
  if (op.whence === SEEK.DATA) {
    if (dataRunEnd(inode, p, limit) > p) return setPos(inode, off);
    p = nextData(inode, p, limit);
    return p >= limit ? err('ENXIO') : setPos(inode, BigInt(p) * 4096n);
  }
  if (dataRunEnd(inode, p, limit) === p) return setPos(inode, off);
  for (let q = dataRunEnd(inode, p, limit); q < limit; q = dataRunEnd(inode, q, limit)) {
    if (dataRunEnd(inode, q, limit) === q) return setPos(inode, BigInt(q) * 4096n);
  }
  return setPos(inode, size);
};

// --- readv / writev / preadv / pwritev / preadv2 / pwritev2 -------------------------------------

const RWF_KNOWN = 0x1ff;
/** kiocb_set_rw_flags on a file without NOWAIT, atomic-write or DONTCACHE support. */
const rwfCheck = (rwf: number): Outcome | undefined => {
  if (rwf === 0) return undefined;
  if ((rwf & ~RWF_KNOWN) !== 0) return err('EOPNOTSUPP');
  if ((rwf & RWF.APPEND) !== 0 && (rwf & RWF.NOAPPEND) !== 0) return err('EINVAL');
  if ((rwf & (RWF.NOWAIT | RWF.ATOMIC | RWF.DONTCACHE)) !== 0) return err('EOPNOTSUPP');
  return undefined;
};

export const fileIoV = (k: Kernel, op: OpOf<'fileIoV'>): Outcome => {
  const n = FILE_IOV_CALL[op.call];
  const write = n % 2 === 1;
  const v2 = op.call === 'preadv2' || op.call === 'pwritev2';
  const positioned = n >= 2 && !(v2 && op.offset === -1n);
  if (positioned && op.offset < 0n) return err('EINVAL');
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  const inode = f.inode;
  const m = fmode(k, inode);
  const rwf = v2 ? op.rwf : 0;
  // Bug: the RWF word is validated before the file's mode (a refactor moving kiocb_set_rw_flags up).
  if (k.bug('rwf-checked-before-mode') && inode.kind === 'gmem') {
    const early = rwfCheck(rwf);
    if (early) return early;
  }
  if (positioned && !(write ? m.pwrite : m.pread)) return err('ESPIPE');
  if (!(write ? m.canWrite : m.canRead)) return err('EINVAL');
  // From here on the file has the method: import_iovec, an empty transfer, rw_verify_area, RWF.
  if (op.iovcnt > 1024) return err('EINVAL');
  const total = op.iovcnt === 0 ? 0 : op.len;
  if (total === 0) return ok({ count: 0 });
  const pos = positioned ? op.offset : inode.pos;
  if (!verifyArea(pos, total)) return err('EINVAL');
  const bad = rwfCheck(rwf);
  if (bad) return bad;
  if (inode.kind === 'gmem') return gmemWrite(k, inode, pos, total, op.value, !positioned);
  if (!write) {
    const avail = inode.size > pos ? inode.size - pos : 0n;
    const count = avail < BigInt(total) ? Number(avail) : total;
    if (!positioned) inode.pos = pos + BigInt(count);
    return ok({ count });
  }
  const append = (rwf & RWF.APPEND) !== 0 || (appendOn(inode) && (rwf & RWF.NOAPPEND) === 0);
  return append ? memfdAppend(k, inode, total, op.value, !positioned) : memfdWrite(k, inode, pos, total, op.value, !positioned);
};

// --- fsync, fdatasync, syncfs, fchmod, fchown, futimens, fstatfs --------------------------------

const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_IXGRP = 0o10;
const MEMFD_MODE = 0o100777;

export const fdMeta = (k: Kernel, op: OpOf<'fdMeta'>): Outcome => {
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  const inode = f.inode;
  const m = fmode(k, inode);
  switch (op.call) {
    case 'fsync':
    case 'fdatasync':
      return m.fsync || k.bug('fsync-ok') ? ok() : err('EINVAL');
    case 'syncfs':
      return ok();
    case 'fstatfs': {
      const type = inode.kind === 'memfd' ? 0x01021994 : k.profile.variants.fsMagic === 'ANON' ? 0x09041934 : 0x474d454d;
      return ok({ type, bsize: 4096, namelen: 255 });
    }
    default:
      break;
  }
  // notify_change → ->setattr: kvm_gmem_setattr refuses everything.
  if (!m.setattr) return k.bug('gmem-setattr-chown-noop') && op.call === 'fchown' ? ok() : err('EINVAL');
  const mode = inode.mode ?? MEMFD_MODE;
  if (op.call === 'fchmod') inode.mode = 0o100000 | (op.mode & 0xffff & 0o7777);
  if (op.call === 'fchown') {
    let next = mode & ~S_ISUID;
    if ((mode & S_ISGID) !== 0 && (mode & S_IXGRP) !== 0) next &= ~S_ISGID;
    if (next !== mode) inode.mode = next;
  }
  return ok();
};

// --- fcntl -------------------------------------------------------------------------------------

const F_RDLCK = 0;
const F_WRLCK = 1;
const F_UNLCK = 2;

const lockConflict = (want: number, held: 0 | 1 | undefined): boolean => held !== undefined && (want === F_WRLCK || held === F_WRLCK);

export const fcntl = (k: Kernel, op: OpOf<'fcntl'>): Outcome => {
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  const inode = f.inode;
  // do_fcntl keeps the argument in an int. Bug: a 64-bit compare of the whole word (bits >= 32 survive).
  const wide = k.bug('fcntl-arg-64bit') && inode.kind === 'gmem' && BigInt.asUintN(32, op.arg) !== op.arg;
  const argi = Number(BigInt.asIntN(32, op.arg));
  const cmd = FCNTL_CMD[op.cmd];
  switch (cmd) {
    case FCNTL_CMD.F_GETFD: return ok({ value: f.cloexec ? 1 : 0 });
    case FCNTL_CMD.F_SETFD:
      k.fds.set(op.fd, { ...f, cloexec: (argi & 1) !== 0 });
      return ok({ value: 0 });
    case FCNTL_CMD.F_GETFL: return ok({ value: O_RDWR_LARGEFILE | (inode.fl ?? 0) });
    case FCNTL_CMD.F_SETFL:
      // No file here has FMODE_CAN_ODIRECT (memfd_create never calls shmem's ->open).
      if ((argi & O_DIRECT) !== 0 && !(k.bug('setfl-odirect-accepted') && inode.kind === 'gmem')) return err('EINVAL');
      inode.fl = argi & (O_APPEND | O_NONBLOCK | O_NOATIME | (k.bug('setfl-odirect-accepted') ? O_DIRECT : 0));
      return ok({ value: 0 });
    case FCNTL_CMD.F_ADD_SEALS:
      if ((argi & ~0x3f) !== 0) return err('EINVAL');
      // Seals live in shmem's inode info; ours were created sealed (no MFD_ALLOW_SEALING).
      return err(inode.kind === 'memfd' ? 'EPERM' : 'EINVAL');
    case FCNTL_CMD.F_GET_SEALS: return inode.kind === 'memfd' ? ok({ value: 1 }) : err('EINVAL');
    case FCNTL_CMD.F_GETLEASE: return ok({ value: F_UNLCK });
    case FCNTL_CMD.F_SETLEASE: return wide ? err('EINVAL') : lease(k, inode, argi);
    // dnotify is on in this model: a zero event mask (DN_MULTISHOT aside) removes nothing; events need a directory.
    case FCNTL_CMD.F_NOTIFY: return (argi & 0x7fffffff) === 0 ? ok({ value: 0 }) : err('ENOTDIR');
    // pipe_fcntl: not a pipe.
    case FCNTL_CMD.F_SETPIPE_SZ:
    case FCNTL_CMD.F_GETPIPE_SZ: return err('EBADF');
    default: return lock(inode, cmd, Number(BigInt.asIntN(16, op.arg)));
  }
};

/** One lease request, released again at once (ops-fd.ts): what F_GETLEASE saw, or the errno. */
const lease = (k: Kernel, inode: Inode, type: number): Outcome => {
  if (type !== F_UNLCK && type !== F_RDLCK && type !== F_WRLCK) return err('EINVAL');
  if (!fmode(k, inode).setlease) return err('EINVAL');
  // No lease is ever held between ops: F_UNLCK has nothing to remove.
  if (type === F_UNLCK) return err('EAGAIN');
  // Pseudo files never count a writer (i_writecount 0), but this fd is open for writing. The bug
  // counts the fd's own write access as the writer, so the counts match.
  if (type === F_WRLCK) return k.bug('lease-wrlck-granted') && inode.kind === 'gmem' ? ok({ value: F_WRLCK }) : err('EAGAIN');
  return ok({ value: F_RDLCK });
};

const lock = (inode: Inode, cmd: number, type: number): Outcome => {
  const ofd = cmd === FCNTL_CMD.F_OFD_SETLK || cmd === FCNTL_CMD.F_OFD_GETLK;
  const other = ofd ? inode.posixLock : inode.ofdLock;
  if (cmd === FCNTL_CMD.F_GETLK || cmd === FCNTL_CMD.F_OFD_GETLK) {
    // An OFD query with F_UNLCK asks which lock this open file holds (F_GETLK refuses it).
    if (ofd && type === F_UNLCK) return ok({ value: inode.ofdLock ?? F_UNLCK });
    if (type !== F_RDLCK && type !== F_WRLCK) return err('EINVAL');
    return ok({ value: lockConflict(type, other) ? other! : F_UNLCK });
  }
  if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return err('EINVAL');
  if (type !== F_UNLCK && lockConflict(type, other)) return err('EAGAIN');
  const held = type === F_UNLCK ? undefined : (type as 0 | 1);
  if (ofd) inode.ofdLock = held;
  else inode.posixLock = held;
  return ok({ value: 0 });
};

// --- sendfile / splice / copy_file_range ---------------------------------------------------------

export const spliceLike = (k: Kernel, op: OpOf<'spliceLike'>): Outcome => {
  const splice = op.call === 'spliceIn' || op.call === 'spliceOut';
  if (op.call === 'teeOut' || op.call === 'teeIn' || op.call === 'vmsplice') return pipeOnly(k, op);
  if (splice && op.len === 0) return ok({ count: 0 });
  if (splice && (op.flags & ~0xf) !== 0) return err('EINVAL');
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  const inode = f.inode;
  const m = fmode(k, inode);
  const given = op.offset !== -1n;
  const pos = given && op.call !== 'sendfileIn' ? op.offset : inode.pos;
  const moved = (count: number, moves: boolean): Outcome => {
    if (moves) inode.pos += BigInt(count);
    return ok({ count });
  };
  /** checkFirst: sendfile/splice verify the requested length and need splice_read; copy_file_range has cut it at EOF. */
  const readOut = (checkFirst: boolean): Outcome => {
    const avail = pos >= 0n && inode.size > pos ? inode.size - pos : 0n;
    const n = avail < BigInt(op.len) ? Number(avail) : op.len;
    if (!verifyArea(pos, checkFirst ? op.len : n)) return err('EINVAL');
    if (checkFirst && op.len === 0) return ok({ count: 0 });
    if (checkFirst && !m.spliceRead) return err('EINVAL');
    return n === 0 ? ok({ count: 0 }) : moved(n, !given);
  };
  const writeIn = (count: number, at: bigint, moves: boolean): Outcome => memfdWrite(k, inode, at, count, op.value, moves);
  switch (op.call) {
    case 'sendfileOut':
      if (given && !m.pread) return err('ESPIPE');
      return readOut(true);
    case 'spliceOut':
      if (given && !m.pread) return err('EINVAL');
      return readOut(true);
    case 'copyOut':
    case 'copyIn': {
      if (op.flags !== 0) return err('EINVAL');
      if (op.call === 'copyIn' && appendOn(inode)) return err('EBADF');
      // The scratch memfd is on the internal tmpfs mount; gmem on its own superblock.
      if (inode.kind === 'gmem') return err('EXDEV');
      if (pos < 0n && BigInt(op.len) >= -pos) return err('EOVERFLOW');
      if (op.call === 'copyOut') return readOut(false);
      // generic_write_check_limits: tmpfs's s_maxbytes is LOFF_MAX; a copy ending past it is cut short.
      if (pos >= LOFF_MAX) return err('EFBIG');
      const count = pos >= 0n && LOFF_MAX - pos < BigInt(op.len) ? Number(LOFF_MAX - pos) : op.len;
      if (!verifyArea(pos, count)) return err('EINVAL');
      return count === 0 ? ok({ count: 0 }) : writeIn(count, pos, !given);
    }
    case 'spliceIn':
      if (given && !m.pwrite) return err('EINVAL');
      if (appendOn(inode)) return err('EINVAL');
      if (!verifyArea(pos, op.len)) return err('EINVAL');
      if (!m.spliceWrite) return err('EINVAL');
      return writeIn(op.len, pos, !given);
    case 'sendfileIn':
      if (!verifyArea(inode.pos, op.len) || appendOn(inode)) return err('EINVAL');
      if (op.len === 0) return ok({ count: 0 });
      if (!m.spliceWrite) return err('EINVAL');
      return writeIn(op.len, inode.pos, true);
  }
};

/** tee and vmsplice want a pipe where the fd is: neither file is one. */
const pipeOnly = (k: Kernel, op: OpOf<'spliceLike'>): Outcome => {
  if ((op.flags & ~0xf) !== 0) return err('EINVAL');
  const tee = op.call !== 'vmsplice';
  if (tee && op.len === 0) return ok({ count: 0 });
  if (!file(k, op.fd)) return err('EBADF');
  // do_tee: both ends have the mode bits, neither is a pipe. vmsplice: an empty vector moves nothing.
  if (tee) return err('EINVAL');
  return op.len === 0 ? ok({ count: 0 }) : err('EBADF');
};

// --- SCM_RIGHTS, /proc/self/fd/N, exec ----------------------------------------------------------

export const passFd = (k: Kernel, op: OpOf<'passFd'>): Outcome => {
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  k.claim(k.fds, op.id, { inode: f.inode, cloexec: op.cloexec }, 'fd');
  f.inode.refs += 1;
  return ok();
};

export const fdReach = (k: Kernel, op: OpOf<'fdReach'>): Outcome => {
  const f = file(k, op.fd);
  if (op.how === 'execKeeps') return ok({ open: f !== undefined && !f.cloexec });
  if (!f) return err('ENOENT');
  if (op.how === 'reopenPath') return ok();
  // A gmem inode keeps no_open as its i_fop.
  if (f.inode.kind === 'gmem' && !k.bug('reopen-procfd-opens')) return err('ENXIO');
  // The new file is closed again at once: filp_flush drops this process's POSIX locks.
  f.inode.posixLock = undefined;
  return ok();
};
