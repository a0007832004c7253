/** close, dup, fstat, fcntl(F_GETFL/F_GETFD), st_dev/st_ino comparison. */
import { err, GMEM_ST_MODE, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { getRef, putRef } from '../lifetime.js';
import { truncateRange } from '../pagecache.js';
import { deleteSlot } from './memslot.js';

/** memfd inodes are S_IFREG | 0777 (shmem_file_setup). */
const MEMFD_ST_MODE = 0o100777;

export const close = (k: Kernel, op: OpOf<'close'>): Outcome => {
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  k.fds.delete(op.fd);
  // filp_flush: any close of a file drops this process's POSIX locks on it.
  f.inode.posixLock = undefined;
  // Bug: closing a bound gmem fd deletes its memslots (SLOT-11 says the slot stays).
  if (k.bug('close-deletes-slot')) for (const b of [...f.inode.bindings]) deleteSlot(b.vm, b.slot);
  putRef(k, f.inode);
  // Bug: the last fd close frees the page cache although a mapping still holds the file (LIFE-1).
  if (f.inode.kind === 'gmem' && k.bug('close-ignores-mapping') && ![...k.fds.values()].some((o) => o.inode === f.inode)) {
    truncateRange(k, f.inode, 0, Number.MAX_SAFE_INTEGER, { zap: true, drop: true });
  }
  return ok();
};

export const dup = (k: Kernel, op: OpOf<'dup'>): Outcome => {
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  // dup() never copies FD_CLOEXEC.
  k.claim(k.fds, op.id, { inode: f.inode, cloexec: false }, 'fd');
  getRef(f.inode);
  return ok();
};

/** CRE-1: st_size is the creation size, st_blksize PAGE_SIZE, st_mode 0100600 (§1.7). */
export const fstat = (k: Kernel, op: OpOf<'fstat'>): Outcome => {
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  const gmem = f.inode.kind === 'gmem';
  const size = gmem && k.bug('fstat-size-off-by-page') && f.inode.size > 4096n ? f.inode.size - 4096n : f.inode.size;
  return ok({ size, blksize: 4096, mode: gmem ? GMEM_ST_MODE : (f.inode.mode ?? MEMFD_ST_MODE) });
};

/** CRE-7: O_RDWR and not close-on-exec (get_unused_fd_flags(0)). */
export const fdFlags = (k: Kernel, op: OpOf<'fdFlags'>): Outcome => {
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  return ok({ accmode: 'O_RDWR', cloexec: f.cloexec });
};

export const sameInode = (k: Kernel, op: OpOf<'sameInode'>): Outcome => {
  const a = k.fds.get(op.fd);
  const b = k.fds.get(op.other);
  if (!a || !b) return err('EBADF');
  return ok(a.inode === b.inode);
};
