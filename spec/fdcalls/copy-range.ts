/**
 * copy_file_range between two files of the sequence (row B24; FIO-30, GEN-COPY-RANGE). The check
 * order (fs/read_write.c, v6.18 = v7.2 on this path): both fds (EBADF), flags ≠ 0 (EINVAL, in the
 * syscall), then generic_copy_file_checks: generic_file_rw_checks (an output with O_APPEND: EBADF),
 * the superblocks (neither gmem nor shmem has ->copy_file_range: different superblocks EXDEV),
 * offsets that wrap as u64 (EOVERFLOW), the count cut at the source's EOF, the output's
 * generic_write_check_limits (at s_maxbytes EFBIG; a negative output offset makes the cut count
 * negative), the overlap of the two ranges in one inode (EINVAL); then rw_verify_area of each side
 * (a negative offset or count EINVAL), 0 for a zero count, and, since both ends share a superblock
 * and neither has ->remap_file_range, the splice fallback do_splice_direct.
 *
 * Superblocks: every gmem file shares one (6.18: the anon_inode mount; since 6.19 the guest_memfd
 * mount), every memfd another (the internal shm mount), so gmem↔gmem and memfd↔memfd reach the
 * fallback and gmem↔memfd is EXDEV. The fallback on gmem fails (FIO-30); on shmem it copies the
 * bytes through the internal pipe (GEN-COPY-RANGE): holes read as zeroes and are written as
 * zeroes, so every destination page of the range is allocated.
 */
import { err, ok, type OpOf } from '../vocab/index.js';
import { andThen, only, rule } from '../rule.js';
import { LLONG_MAX, inodeOfFd, pagesUp, type Ctx, type FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { withInode } from '../state/update.js';
import { imEach, imUpdate, type IMap } from '../state/imap.js';
import { writeSpan, type PageBytes } from '../state/bytes.js';
import { folio } from '../state/folio.js';
import type { Inode, SpecState } from '../state/types.js';
import { onFile, type Steps } from '../run.js';
import { appendOn } from './file-state.js';

type C = Ctx<'copyRange'>;
type F = FileCtx<'copyRange'>;
type Cr = OpOf<'copyRange'>;

/** −1 passes NULL: the file position. */
const srcPos = (op: Cr, ino: Inode): bigint => (op.srcOff === -1n ? ino.pos : op.srcOff);

/** GEN-COPY-RANGE: the syscall refuses any flag once both fds resolved (COPY_FILE_SPLICE is kernel-internal). */
export const copyRangeFlags = rule<C>({
  id: 'GEN-COPY-RANGE',
  cite: 'GEN-COPY-RANGE; fs/read_write.c SYSCALL copy_file_range (both fds, then flags != 0), v7.2',
  decide: ({ s, op }) => (op.flags !== 0 ? only(s, err('EINVAL')) : undefined),
});
export const copyRangePre = [
  ebadf<C>(({ s, op }) => fdDead(s, op.src)),
  ebadf<C>(({ s, op }) => fdDead(s, op.dst)),
  copyRangeFlags,
] as const;

/** What generic_copy_file_checks and rw_verify_area leave: an errno, or the count to move. */
export const copyChecks = (src: Inode, dst: Inode, pin: bigint, pout: bigint, len: number): { errno: 'EBADF' | 'EXDEV' | 'EOVERFLOW' | 'EFBIG' | 'EINVAL' } | { count: bigint } => {
  if (appendOn(dst)) return { errno: 'EBADF' };
  if (src.kind !== dst.kind) return { errno: 'EXDEV' };
  const n = BigInt(len);
  // u64 sums: a negative offset wraps when the count reaches its distance to 2^64.
  const wraps = (x: bigint): boolean => x < 0n && n >= -x;
  if (wraps(pin) || wraps(pout)) return { errno: 'EOVERFLOW' };
  // The EOF cut compares loff_t values: a negative source offset keeps the count.
  let count = pin >= src.sizeBytes ? 0n : pin < 0n || src.sizeBytes - pin > n ? n : src.sizeBytes - pin;
  // generic_write_check_limits: s_maxbytes is LLONG_MAX on all three superblocks; below 0 the cut
  // (LLONG_MAX − pos) wraps negative and so does the count (EINVAL below, whatever else holds).
  if (pout >= LLONG_MAX) return { errno: 'EFBIG' };
  if (pout < 0n) return { errno: 'EINVAL' };
  if (LLONG_MAX - pout < count) count = LLONG_MAX - pout;
  // The overlap check runs on u64 values; with pout ≥ 0 and a negative pin it cannot hold.
  if (src.id === dst.id && pin >= 0n && pout + count > pin && pout < pin + count) return { errno: 'EINVAL' };
  // rw_verify_area: a negative position (neither file has unsigned offsets) or an end past LLONG_MAX.
  if (pin < 0n || pin + count > LLONG_MAX) return { errno: 'EINVAL' };
  return { count };
};

/** FIO-30: gmem↔gmem reaches the splice fallback and fails there; gmem↔memfd is EXDEV. */
export const fio30 = rule<F>({
  id: 'FIO-30',
  cite: 'FIO-30; fs/read_write.c generic_copy_file_checks, vfs_copy_file_range (same superblock: do_splice_direct); fs/splice.c splice_direct_to_actor (no FMODE_LSEEK: EINVAL), do_splice_read (no splice_read: EINVAL); virt/kvm/guest_memfd.c kvm_gmem_fops, v6.18, v7.2',
  decide: ({ s, op, ino }) => {
    const dst = inodeOfFd(s, op.dst)!;
    if (ino.kind !== 'gmem' && dst.kind !== 'gmem') return undefined;
    const r = copyChecks(ino, dst, srcPos(op, ino), op.dstOff === -1n ? dst.pos : op.dstOff, op.len);
    if ('errno' in r) return only(s, err(r.errno));
    // Without .llseek (or, under the write() series, without .splice_read) the fallback is EINVAL.
    return only(s, r.count === 0n ? ok({ count: 0 }) : err('EINVAL'));
  },
});

/** The bytes [from, from+n) of a file's data as runs of one value, at offsets relative to from (holes read 0). */
const runsOf = (data: IMap<PageBytes>, from: bigint, n: number): { at: number; len: number; v: number }[] => {
  const out: { at: number; len: number; v: number }[] = [];
  const push = (at: number, len: number, v: number): void => {
    const last = out[out.length - 1];
    if (last !== undefined && last.v === v && last.at + last.len === at) last.len += len;
    else if (len > 0) out.push({ at, len, v });
  };
  const end = from + BigInt(n);
  // Offsets relative to `from` fit a number (|x| ≤ n + a page); file offsets may not.
  const rel = (byte: bigint): number => Number((byte < from ? from : byte > end ? end : byte) - from);
  imEach(data, Number(from >> 12n), pagesUp(end), (a, b, page) => {
    if (page === undefined) return void push(rel(BigInt(a) << 12n), rel(BigInt(b) << 12n) - rel(BigInt(a) << 12n), 0);
    // A run of equal pages: at most 17 of them lie in a copy of 64 KiB.
    for (let p = a; p < b; p++) {
      const base = Number((BigInt(p) << 12n) - from);
      const lo = rel(BigInt(p) << 12n) - base;
      const hi = rel(BigInt(p + 1) << 12n) - base;
      imEach(page, lo, hi, (x, y, v) => push(base + x, y - x, v ?? 0));
    }
  });
  return out;
};

/** Write n bytes read from src at pin into dst at pout (the source is read before any write). */
export const copyBytes = (s: SpecState, src: Inode, pin: bigint, dst: Inode, pout: bigint, n: number): SpecState => {
  const runs = runsOf(src.data, pin, n);
  let data = dst.data;
  for (const r of runs) {
    const at = pout + BigInt(r.at);
    data = writeSpan(data, Number(at >> 12n), Number(at & 4095n), r.len, r.v);
  }
  const end = pout + BigInt(n);
  const sizeBytes = end > dst.sizeBytes ? end : dst.sizeBytes;
  return withInode(s, {
    ...dst,
    sizeBytes,
    sizePages: pagesUp(sizeBytes),
    folios: imUpdate(dst.folios, Number(pout >> 12n), pagesUp(end), () => folio(true, false)),
    data,
  });
};

/** GEN-COPY-RANGE: memfd↔memfd shares the shm superblock; the splice fallback copies the bytes. */
export const shmemCopyRange = rule<F>({
  id: 'GEN-COPY-RANGE',
  cite: 'GEN-COPY-RANGE; fs/read_write.c generic_copy_file_checks, generic_write_check_limits, rw_verify_area, vfs_copy_file_range; fs/splice.c do_splice_direct; mm/shmem.c shmem_file_splice_read (holes as zero pages), iter_file_splice_write, v7.2 (obs:CCR-01..06)',
  decide: ({ s, op, ino }) => {
    const dst = inodeOfFd(s, op.dst)!;
    const pin = srcPos(op, ino);
    const pout = op.dstOff === -1n ? dst.pos : op.dstOff;
    const r = copyChecks(ino, dst, pin, pout, op.len);
    if ('errno' in r) return only(s, err(r.errno));
    const n = Number(r.count);
    if (n === 0) return only(s, ok({ count: 0 }));
    return andThen(ok({ count: n }), () => {
      const s1 = copyBytes(s, ino, pin, dst, pout, n);
      // A NULL offset moves that file's position by the count (one open file per inode here).
      const movePos = (st: SpecState, fd: number, off: bigint, from: bigint): SpecState => {
        if (off !== -1n) return st;
        const i = inodeOfFd(st, fd)!;
        return withInode(st, { ...i, pos: from + BigInt(n) });
      };
      return movePos(movePos(s1, op.src, op.srcOff, pin), op.dst, op.dstOff, pout);
    });
  },
});
export const copyRangeChain = [fio30, shmemCopyRange] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  copyRange: (p, s, o) => onFile({ p, s, op: o }, copyRangePre, o.src, () => copyRangeChain),
} satisfies Steps;
