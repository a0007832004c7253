/**
 * What the fd-level calls read and change of an open file: its status flags, the file position,
 * the bytes a read may return, and the memfd data a write stores. One open file per inode here
 * (spec/state/types.ts), so all of it lives with the inode.
 */
import { O_FLAG } from '../vocab/index.js';
import { LLONG_MAX } from '../ctx.js';
import type { Inode } from '../state/types.js';

/** O_RDWR | O_LARGEFILE: what F_GETFL shows of a new gmem or memfd file (obs:FD-08; mm/memfd.c). */
export const BASE_FL = 0o100002;
/** fs/fcntl.c SETFL_MASK without O_DIRECT (no gmem or memfd file can carry it: FMODE_CAN_ODIRECT). */
export const SETFL_KEPT = O_FLAG.O_APPEND | O_FLAG.O_NONBLOCK | O_FLAG.O_NOATIME;

export const flOf = (ino: Inode): number => ino.fl ?? 0;
export const appendOn = (ino: Inode): boolean => (flOf(ino) & O_FLAG.O_APPEND) !== 0;

/** A loff_t result of C arithmetic: wraps like the kernel's (built with -fno-strict-overflow). */
export const asLoff = (b: bigint): bigint => BigInt.asIntN(64, b);

/** rw_verify_area: a negative position, or an end past LLONG_MAX, is EINVAL. */
export const badArea = (pos: bigint, len: number): boolean => pos < 0n || pos + BigInt(len) > LLONG_MAX;

/**
 * A write that O_APPEND (or RWF_APPEND) sends to EOF meets generic_write_check_limits there: at
 * s_maxbytes (LLONG_MAX on tmpfs) it is EFBIG, below it the count is cut to end there (fs/read_write.c
 * generic_write_check_limits, v7.2; measured on 6.18.44 once copy_file_range made a memfd LLONG_MAX
 * long: obs:CCR-07).
 */
export const appendCount = (size: bigint, len: number): number | 'EFBIG' =>
  size >= LLONG_MAX ? 'EFBIG' : LLONG_MAX - size < BigInt(len) ? Number(LLONG_MAX - size) : len;

/** Bytes a read of len at pos returns (0 at or past EOF). */
export const readable = (ino: Inode, pos: bigint, len: number): number => {
  const avail = ino.sizeBytes > pos ? ino.sizeBytes - pos : 0n;
  return Number(avail < BigInt(len) ? avail : BigInt(len));
};
