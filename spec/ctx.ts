/** The context every rule sees: the profile, the state before the op, the op. */
import type { OpKind, OpOf, Profile } from './vocab/index.js';
import type { Inode, Mapping, SpecState } from './state/types.js';
import { PAGE_SIZE } from './vocab/handles.js';
/** The page size (spec/vocab/handles.ts), re-exported for the rules. */
export const P = PAGE_SIZE;

export interface Ctx<K extends OpKind> {
  readonly p: Profile;
  readonly s: SpecState;
  readonly op: OpOf<K>;
}

/** Context after the op's fd resolved to a live file. */
export interface FileCtx<K extends OpKind> extends Ctx<K> {
  readonly ino: Inode;
}

/** Context after the op's map handle resolved to a live mapping. */
export interface MapCtx<K extends OpKind> extends FileCtx<K> {
  readonly map: Mapping;
}

export const inodeOfFd = (s: SpecState, fd: number): Inode | undefined => {
  const e = s.fds.get(fd);
  return e === undefined ? undefined : s.inodes.get(e.inode);
};

export const LLONG_MAX = (1n << 63n) - 1n;
/** x86-64 TASK_SIZE_MAX (4-level paging): the user address space is [0, 2^47 - 4096). */
export const TASK_SIZE = (1n << 47n) - P;
export const pageOf = (b: bigint): number => Number(b >> 12n);
export const aligned = (b: bigint): boolean => (b & (P - 1n)) === 0n;
/** A u64 read as the kernel's signed loff_t is negative iff bit 63 is set. */
export const negative = (b: bigint): boolean => b >= 1n << 63n || b < 0n;
/**
 * Does start + len wrap past 2^64, where start = (mapping base + offset) mod 2^64 and the base is
 * some address below TASK_SIZE? 'yes'/'no' when every base agrees, 'maybe' otherwise.
 */
export const wrapsU64 = (offset: bigint, len: bigint): 'yes' | 'no' | 'maybe' => {
  const alen = (len + P - 1n) & ~(P - 1n);
  if (offset < 1n << 63n) return offset + alen >= 1n << 64n ? 'yes' : offset + alen + TASK_SIZE < 1n << 64n ? 'no' : 'maybe';
  // The offset itself may wrap below the mapping (offset ≥ 2^64 − base) or land past TASK_SIZE.
  // Past 2^64 − 64 KiB it wraps to just below the mapping (bases are ≥ mmap_min_addr): no wrap of
  // a modest length; well below 2^64 − TASK_SIZE it stays non-canonical without wrapping.
  const modest = alen < 1n << 62n;
  return modest && (offset >= (1n << 64n) - 65536n || offset + alen + TASK_SIZE < 1n << 64n) ? 'no' : 'maybe';
};
export const pagesUp = (b: bigint): number => Number((b + P - 1n) >> 12n);
