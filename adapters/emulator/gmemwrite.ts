/**
 * Population by write()/pwrite() (FIO-15, FIO-29, PROP write() series) with the direct-map rules
 * of P-WRITE and P-DMAP-GRAN (DMAP-6): ONCE refuses a folio whose direct map is already gone
 * (EEXIST), MERMAP always writes through a kernel-private mapping.
 *
 * The series' write_iter is the VFS's generic write loop, which asks the gmem write_begin about one
 * page-sized piece at a time; the first piece it refuses ends the call, and whatever was written
 * before is the (short) count. A zero-byte call still runs the loop body once: write_begin takes
 * the folio, write_end marks it up to date, and the loop's fault-in of zero bytes answers EFAULT.
 */
import { err, ok } from '../../spec/vocab/index.js';
import type { Outcome } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import type { Inode } from './state.js';
import { aligned, asLoff, P } from './i64.js';
import { grab, lookup, noDirectMap } from './pagecache.js';
import { hostShared } from './share.js';

export const writeSeries = (k: Kernel): boolean => k.profile.features.write && k.profile.variants.write !== 'NONE';

type Refusal = 'EINVAL' | 'EEXIST';

export const gmemWrite = (k: Kernel, inode: Inode, offset: bigint, len: number, value: number, advance: boolean): Outcome => {
  if (k.profile.variants.flagBit2 === 'WRITE' && (inode.flags & 4n) === 0n) return err('ENODEV');
  const off = asLoff(offset);
  if (off < 0n) return err('EINVAL');
  const n = BigInt(len);
  // Bug: the whole length is judged up front, as a single write_begin would.
  if (k.bug('write-unaligned-tail-einval') && (!aligned(off) || !aligned(n) || off + n > inode.size)) return err('EINVAL');
  if (len === 0) return zeroWrite(k, inode, off);
  let done = 0n;
  while (done < n) {
    const at = off + done;
    const room = P - (at % P);
    const piece = n - done < room ? n - done : room;
    const refusal = refuse(k, inode, at, piece);
    if (refusal) {
      if (done === 0n || k.bug('write-short-count-lost')) return err(refusal);
      break;
    }
    const folio = grab(k, inode, Number(at / P));
    folio.data = new Uint8Array(4096).fill(value & 0xff);
    folio.uptodate = true;
    if (noDirectMap(k, inode) && !k.bug('dmap-restored-after-write')) folio.dmapRemoved = true;
    done += piece;
  }
  if (advance) inode.pos = off + done;
  return ok({ count: Number(done) });
};

/** write_begin on one piece: past EOF or not a whole aligned page EINVAL, a private page EINVAL, a folio without direct map EEXIST (ONCE). */
const refuse = (k: Kernel, inode: Inode, at: bigint, piece: bigint): Refusal | null => {
  if (at + piece > inode.size || !aligned(at) || !aligned(piece)) return 'EINVAL';
  const page = Number(at / P);
  // (a zero-byte piece at EOF takes the folio past EOF: no shareability to ask about)
  if (at < inode.size && !hostShared(k, inode, page)) return 'EINVAL';
  if (k.profile.variants.write !== 'ONCE') return null;
  const folio = inode.folios.has(page) || inode.alloc.has(page) ? lookup(k, inode, page) : undefined;
  return folio?.dmapRemoved ? 'EEXIST' : null;
};

/** The loop body once with 0 bytes: the position is judged as a piece's, the folio comes up to date, then EFAULT. */
const zeroWrite = (k: Kernel, inode: Inode, off: bigint): Outcome => {
  const refusal = refuse(k, inode, off, 0n);
  if (refusal) return err(refusal);
  if (off < inode.size) {
    const folio = grab(k, inode, Number(off / P));
    if (!folio.uptodate) {
      folio.uptodate = true;
      if (noDirectMap(k, inode)) folio.dmapRemoved = true;
    }
  }
  return err('EFAULT');
};
