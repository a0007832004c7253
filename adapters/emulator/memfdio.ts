/** read/write on the memfd control backing: plain shmem file I/O through the page cache. */
import { err, ok } from '../../spec/vocab/index.js';
import type { Outcome } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import type { Inode } from './state.js';
import { asLoff, LOFF_MAX } from './i64.js';
import { grab, makeUptodate } from './pagecache.js';

export const memfdRead = (_k: Kernel, inode: Inode, offset: bigint, len: number, advance: boolean): Outcome => {
  const off = asLoff(offset);
  if (off < 0n || len < 0) return err('EINVAL');
  // rw_verify_area: pos + count must not overflow loff_t.
  if (off + BigInt(len) > LOFF_MAX) return err('EINVAL');
  const avail = inode.size > off ? inode.size - off : 0n;
  const n = BigInt(len) < avail ? BigInt(len) : avail;
  if (advance) inode.pos = off + n;
  return ok({ count: Number(n) });
};

/**
 * A write O_APPEND sends to EOF: generic_write_check_limits at i_size (EFBIG at LLONG_MAX, tmpfs's
 * s_maxbytes; else the count cut to end there), then the write.
 */
export const memfdAppend = (k: Kernel, inode: Inode, len: number, value: number, advance: boolean): Outcome => {
  if (inode.size >= LOFF_MAX) return err('EFBIG');
  const n = LOFF_MAX - inode.size < BigInt(len) ? Number(LOFF_MAX - inode.size) : len;
  return memfdWrite(k, inode, inode.size, n, value, advance);
};

export const memfdWrite = (k: Kernel, inode: Inode, offset: bigint, len: number, value: number, advance: boolean): Outcome => {
  const off = asLoff(offset);
  if (off < 0n || len < 0) return err('EINVAL');
  if (off + BigInt(len) > LOFF_MAX) return err('EINVAL');
  // A zero-length write copies nothing, so it cannot extend i_size (mm/filemap.c
  // generic_perform_write never reaches write_end).
  if (len === 0) return ok({ count: 0 });
  let at = off;
  const end = off + BigInt(len);
  while (at < end) {
    const page = Number(at / 4096n);
    const from = Number(at % 4096n);
    const to = end - BigInt(page) * 4096n >= 4096n ? 4096 : Number(end % 4096n);
    const folio = grab(k, inode, page);
    makeUptodate(folio);
    folio.data ??= new Uint8Array(4096);
    folio.data.fill(value & 0xff, from, to);
    at = BigInt(page + 1) * 4096n;
  }
  if (end > inode.size) inode.size = end;
  if (advance) inode.pos = end;
  return ok({ count: len });
};
