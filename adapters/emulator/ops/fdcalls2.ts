/**
 * The rest of the fd-level calls: new descriptors of the same open file, the generic ioctls and
 * close_range, the page-cache hints, readiness. Modelled on fs/ioctl.c's structure: a fixed set
 * of numbers every file answers, then the question "a regular file that is not an anonymous
 * inode?" — gmem is anonymous (its answers fall to vfs_ioctl, which finds no unlocked_ioctl),
 * memfd is a shmem file with fileattr methods and a superblock UUID. Both live behind the noop
 * backing device, so the hints never change a page.
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Inode, OpenFile } from '../state.js';
import { getRef } from '../lifetime.js';
import { asLoff } from '../i64.js';
import { fdMeta, fileIoV } from './fdcalls.js';
import { ftruncate } from './fileio.js';

const O_NONBLOCK = 0x800;
const ENOIOCTLCMD = 'ENOIOCTLCMD';

const file = (k: Kernel, fd: number): OpenFile | undefined => k.fds.get(fd);
/** IS_ANON_FILE: the gmem inode comes from alloc_anon_inode (S_ANON_INODE). */
const anon = (inode: Inode): boolean => inode.kind === 'gmem';

/** Pages shmem holds for the file: every folio, and every fallocated page not yet materialised. */
const allocatedPages = (inode: Inode): number => {
  let n = inode.folios.size;
  for (const [a, b] of inode.alloc.overlaps(0, Number.MAX_SAFE_INTEGER)) n += b - a;
  // A folio inside a fallocated extent is one page, not two.
  for (const p of inode.folios.keys()) if (inode.alloc.overlaps(p, p + 1).length > 0) n -= 1;
  return n;
};

// --- dup3, F_DUPFD(_CLOEXEC), pidfd_getfd ------------------------------------------------------

export const fdDup = (k: Kernel, op: OpOf<'fdDup'>): Outcome => {
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  // pidfd_getfd installs with O_CLOEXEC always; dup3/F_DUPFD only when asked.
  const always = op.how === 'pidfdGetfd' && !(k.bug('pidfd-getfd-no-cloexec') && anon(f.inode));
  const cloexec = always || op.how === 'dup3Cloexec' || op.how === 'dupfdCloexec';
  k.claim(k.fds, op.id, { inode: f.inode, cloexec }, 'fd');
  getRef(f.inode);
  return ok();
};

// --- ioctl, close_range --------------------------------------------------------------------------

/** do_vfs_ioctl: a value, an errno, or ENOIOCTLCMD ("not mine": vfs_ioctl decides). */
type Vfs = Outcome | typeof ENOIOCTLCMD;

const vfsIoctl = (k: Kernel, f: OpenFile, fd: number, req: OpOf<'fdIoctl'>['req'], arg: number): Vfs => {
  const inode = f.inode;
  const on = (arg | 0) !== 0;
  switch (req) {
    case 'FIOCLEX':
    case 'FIONCLEX':
      k.fds.set(fd, { ...f, cloexec: req === 'FIOCLEX' });
      return ok({ value: 0 });
    case 'FIONBIO':
      inode.fl = on ? (inode.fl ?? 0) | O_NONBLOCK : (inode.fl ?? 0) & ~O_NONBLOCK;
      return ok({ value: 0 });
    case 'FIOASYNC':
      // FASYNC is never set (no ->fasync on either file), so only a change asks for ->fasync.
      return on ? err('ENOTTY') : ok({ value: 0 });
    case 'FIOQSIZE':
      if (anon(inode)) return err('ENOTTY');
      // inode_get_bytes: shmem keeps i_blocks at the pages it allocated (materialised folios and fallocated extents).
      return ok({ value: allocatedPages(inode) * 4096 });
    case 'FS_IOC_FIEMAP':
      return err('EOPNOTSUPP');
    case 'FIGETBSZ':
      return k.bug('figetbsz-anon-enotty') && anon(inode) ? ENOIOCTLCMD : ok({ value: 4096 });
    case 'FIONREAD':
      if (anon(inode) && !k.bug('fionread-anon-size')) return ENOIOCTLCMD;
      return ok({ value: Number(BigInt.asIntN(32, inode.size - inode.pos)) });
    case 'FS_IOC_GETFLAGS':
    case 'FS_IOC_SETFLAGS':
    case 'FS_IOC_FSGETXATTR':
    case 'FS_IOC_FSSETXATTR':
      // vfs_fileattr_get/set: only shmem has the inode methods; the flags stay 0 (zero is written).
      return anon(inode) ? ENOIOCTLCMD : ok({ value: 0 });
    case 'FS_IOC_GETFSUUID':
      return anon(inode) ? err('ENOTTY') : ok({ value: 16 });
    case 'FS_IOC_GETFSSYSFSPATH':
      return err('ENOTTY');
    default:
      // file_ioctl for a regular non-anonymous file: FIBMAP (root passes CAP_SYS_RAWIO; shmem has no ->bmap).
      if (!anon(inode) && req === 'FIBMAP') return err('EINVAL');
      return ENOIOCTLCMD;
  }
};

export const fdIoctl = (k: Kernel, op: OpOf<'fdIoctl'>): Outcome => {
  const f = file(k, op.fd);
  if (op.req === 'closeRangeCloexec') {
    // The range [fd, fd]; a dead handle is ~0U, past every open descriptor.
    if (f) k.fds.set(op.fd, { ...f, cloexec: true });
    return ok({ value: 0 });
  }
  if (!f) return err('EBADF');
  const r = vfsIoctl(k, f, op.fd, op.req, op.arg);
  // vfs_ioctl: neither file has an unlocked_ioctl.
  return r === ENOIOCTLCMD ? err('ENOTTY') : r;
};

// --- posix_fadvise, readahead, sync_file_range ---------------------------------------------------

/** Since the Feb 2026 fadvise patch a negative offset is EINVAL; this model follows the profile's release hint. */
const fadviseOffsetChecked = (k: Kernel): boolean => k.profile.variants.fsMagic !== 'ANON';

const genericFadvise = (k: Kernel, offset: bigint, len: bigint, advice: number): Outcome => {
  if (len < 0n || (offset < 0n && fadviseOffsetChecked(k))) return err('EINVAL');
  // noop_backing_dev_info: the six advice values are accepted and ignored.
  return advice >= 0 && advice <= 5 ? ok() : err('EINVAL');
};

export const fdAdvise = (k: Kernel, op: OpOf<'fdAdvise'>): Outcome => {
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  switch (op.call) {
    case 'fadvise':
      return genericFadvise(k, op.offset, op.len, op.word | 0);
    case 'readahead':
      if (anon(f.inode) && !k.bug('readahead-anon-ok')) return err('EINVAL');
      return genericFadvise(k, op.offset, op.len, 3);
    case 'syncFileRange': {
      if ((op.word & ~7) !== 0) return err('EINVAL');
      const end = asLoff(op.offset + op.len);
      if (op.offset < 0n || end < 0n || end < op.offset) return err('EINVAL');
      return ok();
    }
  }
};

// --- poll, select, epoll_ctl ---------------------------------------------------------------------

export const fdPoll = (k: Kernel, op: OpOf<'fdPoll'>): Outcome => {
  const f = file(k, op.fd);
  switch (op.how) {
    case 'poll':
      // DEFAULT_POLLMASK filtered by the events asked (POLLIN|POLLOUT|POLLPRI); fd −1 is skipped.
      return ok({ mask: f ? 0x5 : 0 });
    case 'select':
      return ok({ mask: f ? 0x3 : 0 });
    case 'epollAdd':
      if (!f) return err('EBADF');
      return k.bug('epoll-gmem-accepted') && anon(f.inode) ? ok({ mask: 0 }) : err('EPERM');
  }
};

// --- io_uring READ/WRITE/READV/WRITEV/_FIXED -----------------------------------------------------

const RWF_KNOWN = 0x1ff;
const RWF_HIPRI = 0x1;

/** io_rw_init_file: kiocb_set_rw_flags on a file without NOWAIT, atomic writes or DONTCACHE; then HIPRI needs an IOPOLL ring. */
const uringFlags = (rwf: number): Outcome | undefined => {
  if (rwf === 0) return undefined;
  if ((rwf & ~RWF_KNOWN) !== 0) return err('EOPNOTSUPP');
  if ((rwf & 0x10) !== 0 && (rwf & 0x20) !== 0) return err('EINVAL');
  if ((rwf & (0x8 | 0x40 | 0x80)) !== 0) return err('EOPNOTSUPP');
  return (rwf & RWF_HIPRI) !== 0 ? err('EINVAL') : undefined;
};

export const fdUring = (k: Kernel, op: OpOf<'fdUring'>): Outcome => {
  const f = file(k, op.fd);
  if (!f) return err('EBADF');
  const write = op.call === 'write' || op.call === 'writev' || op.call === 'writeFixed';
  // Bug: the method is looked for before the flags, so a gmem read never sees its rw_flags refused.
  if (k.bug('uring-rwf-after-method') && anon(f.inode) && !write) return err('EINVAL');
  const bad = uringFlags(op.rwf);
  if (bad) return bad;
  // gmem: no read_iter/read; write_iter only under the write() series.
  if (anon(f.inode) && !(write && k.profile.features.write)) return err('EINVAL');
  // From here the file's own path, as the v2 vectored calls take it (the word passed already).
  return fileIoV(k, { kind: 'fileIoV', fd: op.fd, call: write ? 'pwritev2' : 'preadv2', offset: op.offset, len: op.len, iovcnt: 1, rwf: op.rwf, value: op.value });
};

// --- /proc/self/fd/N as a path, linkat, an O_PATH descriptor -------------------------------------

const OPATH_NEEDS_FILE = new Set(['opathFtruncate', 'opathFallocate', 'opathMmap', 'opathIoctl', 'opathFchmod']);

export const pathCall = (k: Kernel, op: OpOf<'pathCall'>): Outcome => {
  // do_sys_truncate checks the length before it walks the path.
  if (op.call === 'truncate' && op.arg < 0n) return err('EINVAL');
  const f = file(k, op.fd);
  if (!f) return err(op.call === 'linkat' ? 'EBADF' : 'ENOENT');
  // The file sits on an internal mount (anon_inodefs / guest_memfd / the shmem mount).
  if (op.call === 'linkat') return err('EXDEV');
  if (op.call === 'opathFstat' || op.call === 'opathFstatfs') return ok();
  // ftruncate's length is checked before the descriptor.
  if (op.call === 'opathFtruncate' && op.arg < 0n) return err('EINVAL');
  if (OPATH_NEEDS_FILE.has(op.call)) return err('EBADF');
  // The same notify_change as the fd forms: gmem's setattr refuses all of it.
  if (anon(f.inode)) return k.bug('path-truncate-gmem-ok') && op.call === 'truncate' ? ok() : err('EINVAL');
  switch (op.call) {
    case 'truncate': return ftruncate(k, { kind: 'ftruncate', fd: op.fd, size: op.arg });
    case 'chmod': return fdMeta(k, { kind: 'fdMeta', fd: op.fd, call: 'fchmod', mode: Number(BigInt.asUintN(32, op.arg)) });
    case 'chown': return fdMeta(k, { kind: 'fdMeta', fd: op.fd, call: 'fchown', mode: 0 });
    default: return fdMeta(k, { kind: 'fdMeta', fd: op.fd, call: 'futimens', mode: 0 });
  }
};
