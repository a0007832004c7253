/**
 * copy_file_range between two files of the sequence, modelled on fs/read_write.c's own structure
 * (SYSCALL copy_file_range → vfs_copy_file_range → generic_copy_file_checks → rw_verify_area →
 * do_splice_direct), with the kernel's u64 and loff_t arithmetic. A gmem file's superblock is the
 * one pseudo mount all gmem files share, a memfd's the shm mount.
 */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import type { Inode } from '../state.js';
import { asLoff, asU64, LOFF_MAX } from '../i64.js';
import { grab, makeUptodate } from '../pagecache.js';
import { fmode } from './fdcalls.js';

const O_APPEND = 0x400;

/** The superblock a file lives on (the zoo's per-file superblock bug gives each gmem inode its own). */
const superblock = (k: Kernel, i: Inode): string =>
  i.kind === 'memfd' ? 'shm' : k.bug('gmem-copy-range-own-sb') ? `gmem:${i.ino}` : 'gmem';

/** rw_verify_area without FOP_UNSIGNED_OFFSET (neither file has it). */
const verifyArea = (pos: bigint, count: bigint): boolean =>
  asLoff(count) >= 0n && pos >= 0n && asLoff(pos + count) >= 0n;

/** The byte at offset `at` of a file as a read sees it (no folio, or one never written: zero). */
const byteAt = (i: Inode, at: bigint): number => {
  const f = i.folios.get(Number(at / 4096n));
  return f !== undefined && f.uptodate && f.data !== null ? f.data[Number(at % 4096n)]! : 0;
};

/** shmem_file_splice_read into the internal pipe, iter_file_splice_write out of it: n bytes. */
const spliceCopy = (k: Kernel, from: Inode, pin: bigint, to: Inode, pout: bigint, n: number): void => {
  const buf = new Uint8Array(n);
  for (let j = 0; j < n; j++) buf[j] = byteAt(from, pin + BigInt(j));
  for (let j = 0; j < n;) {
    const at = pout + BigInt(j);
    const page = Number(at / 4096n);
    const off = Number(at % 4096n);
    const take = Math.min(4096 - off, n - j);
    const folio = grab(k, to, page);
    makeUptodate(folio);
    folio.data ??= new Uint8Array(4096);
    folio.data.set(buf.subarray(j, j + take), off);
    j += take;
  }
  const end = pout + BigInt(n);
  if (end > to.size) to.size = end;
};

export const copyRange = (k: Kernel, op: OpOf<'copyRange'>): Outcome => {
  const fin = k.fds.get(op.src);
  if (!fin) return err('EBADF');
  const fout = k.fds.get(op.dst);
  if (!fout) return err('EBADF');
  const inI = fin.inode;
  const outI = fout.inode;
  const pin = op.srcOff === -1n ? inI.pos : op.srcOff;
  const pout = op.dstOff === -1n ? outI.pos : op.dstOff;
  if (op.flags !== 0) return err('EINVAL');
  // generic_file_rw_checks: both regular, both opened O_RDWR; the output's O_APPEND.
  if (((outI.fl ?? 0) & O_APPEND) !== 0) return err('EBADF');
  if (superblock(k, inI) !== superblock(k, outI)) return err('EXDEV');
  let count = BigInt(op.len);
  if (asU64(pin + count) < asU64(pin) || asU64(pout + count) < asU64(pout)) return err('EOVERFLOW');
  // The zoo's bugs plant on gmem only: memfd is the control backing and keeps shmem's behaviour.
  if (!(k.bug('copy-range-no-eof-cut') && inI.kind === 'gmem')) {
    if (pin >= inI.size) count = 0n;
    else if (asU64(inI.size - pin) < count) count = asU64(inI.size - pin);
  }
  // generic_write_check_limits: s_maxbytes is MAX_LFS_FILESIZE on every superblock here.
  if (pout >= LOFF_MAX) return err('EFBIG');
  const room = asLoff(LOFF_MAX - pout);
  if (room < asLoff(count)) count = asU64(room);
  if (inI === outI &&
      asU64(pout + count) > asU64(pin) && asU64(pout) < asU64(pin + count)) return err('EINVAL');
  if (!verifyArea(pin, count) || !verifyArea(pout, count)) return err('EINVAL');
  if (count === 0n) return ok({ count: 0 });
  // Same superblock, no ->copy_file_range or ->remap_file_range: do_splice_direct.
  const m = fmode(k, inI);
  if ((!m.lseek || !m.spliceRead) && !(k.bug('gmem-copy-range-splices') && inI.kind === 'gmem')) return err('EINVAL');
  const n = Number(count);
  spliceCopy(k, inI, pin, outI, pout, n);
  if (op.srcOff === -1n) inI.pos = pin + count;
  if (op.dstOff === -1n) outI.pos = pout + count;
  return ok({ count: n });
};
