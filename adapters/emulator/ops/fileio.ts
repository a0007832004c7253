/**
 * read/write/pread/pwrite/lseek/fsync and ftruncate. gmem has no read/write methods (FIO-1, FIO-2,
 * FIO-14); the write() series (FIO-15, P-WRITE) turns pwrite/write into a population path. memfd is
 * ordinary shmem.
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { asLoff, LOFF_MAX } from '../i64.js';
import { truncateRange } from '../pagecache.js';
import { gmemWrite, writeSeries } from '../gmemwrite.js';
import { memfdAppend, memfdRead, memfdWrite } from '../memfdio.js';

export const fileIo = (k: Kernel, op: OpOf<'fileIo'>): Outcome => {
  // ksys_pread64/pwrite64 reject a negative position before looking the fd up.
  if ((op.call === 'pread' || op.call === 'pwrite') && asLoff(op.offset) < 0n) return err('EINVAL');
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  const inode = f.inode;
  if (inode.kind === 'memfd') return memfdIo(k, op, inode);
  const wr = writeSeries(k);
  switch (op.call) {
    // No FMODE_CAN_READ/CAN_WRITE: EINVAL; no FMODE_PREAD/PWRITE/LSEEK: ESPIPE (obs:FO-*).
    case 'read':
      return err('EINVAL');
    case 'pread':
      return err(k.bug('pread-einval') ? 'EINVAL' : 'ESPIPE');
    case 'write':
      if (!wr) return err('EINVAL');
      return gmemWrite(k, inode, inode.pos, op.len, op.value, true);
    case 'pwrite':
      if (!wr) return err('ESPIPE');
      return gmemWrite(k, inode, op.offset, op.len, op.value, false);
    case 'lseek':
      if (!wr) return err('ESPIPE');
      if (asLoff(op.offset) < 0n) return err('EINVAL');
      inode.pos = asLoff(op.offset);
      return ok({ offset: inode.pos });
    case 'fsync':
      return k.bug('fsync-ok') ? ok() : err('EINVAL');
  }
};

const appending = (inode: { fl?: number }): boolean => ((inode.fl ?? 0) & 0x400) !== 0;

const memfdIo = (k: Kernel, op: OpOf<'fileIo'>, inode: Parameters<typeof memfdRead>[1]): Outcome => {
  switch (op.call) {
    case 'read':
      return memfdRead(k, inode, inode.pos, op.len, true);
    case 'pread':
      return memfdRead(k, inode, op.offset, op.len, false);
    // O_APPEND (fcntl F_SETFL) sends every write to EOF, pwrite's too (generic_write_checks).
    case 'write':
      return appending(inode) ? memfdAppend(k, inode, op.len, op.value, true) : memfdWrite(k, inode, inode.pos, op.len, op.value, true);
    case 'pwrite':
      // rw_verify_area checks the position asked for, before O_APPEND moves it to EOF.
      if (appending(inode) && asLoff(op.offset) + BigInt(op.len) > LOFF_MAX) return err('EINVAL');
      return appending(inode) ? memfdAppend(k, inode, op.len, op.value, false) : memfdWrite(k, inode, op.offset, op.len, op.value, false);
    case 'lseek':
      if (asLoff(op.offset) < 0n) return err('EINVAL');
      inode.pos = asLoff(op.offset);
      return ok({ offset: inode.pos });
    case 'fsync':
      return ok();
  }
};

/** FIO-14: gmem setattr always fails. memfd: shrinking drops the pages past the new size. */
export const ftruncate = (k: Kernel, op: OpOf<'ftruncate'>): Outcome => {
  // do_sys_ftruncate rejects a negative length before looking the fd up.
  const size = asLoff(op.size);
  if (size < 0n) return err('EINVAL');
  const f = k.fds.get(op.fd);
  if (!f) return err('EBADF');
  if (f.inode.kind === 'gmem') return err('EINVAL');
  const inode = f.inode;
  // shmem_setattr truncates when the size does not grow, so pages fallocated past EOF go even at
  // the same size; a larger size keeps them.
  if (size <= inode.size) {
    const firstGone = Number((size + 4095n) / 4096n);
    truncateRange(k, inode, firstGone, Number.MAX_SAFE_INTEGER, { zap: true, drop: true, cows: true });
    zeroTail(inode, size);
  }
  inode.size = size;
  return ok();
};

/** Bytes of the last partial page past the new EOF read back as zero (truncate_inode_partial_folio). */
const zeroTail = (inode: { folios: Map<number, { data: Uint8Array | null }> }, size: bigint): void => {
  const off = Number(size % 4096n);
  if (off === 0) return;
  const folio = inode.folios.get(Number(size / 4096n));
  if (folio?.data) folio.data.fill(0, off);
};
