/**
 * The splice family in both directions (FIO-25, GEN-SPLICE). The other end is the target's own: a
 * fresh pipe (1 MiB, so it never fills: no call can wait) or a scratch memfd on the internal tmpfs
 * mount (empty for "out", holding len bytes of value for "in"). gmem has no splice_read or
 * splice_write and no FMODE_PREAD/PWRITE/LSEEK, and lives on another superblock than the scratch
 * memfd, so it never moves a byte; memfd is shmem and moves them. Check orders (v7.2):
 *  - sendfile (fs/read_write.c do_sendfile): in fd, an input offset without FMODE_PREAD (ESPIPE),
 *    rw_verify_area of the input, out fd; into a pipe do_splice_read (0 for len 0, EINVAL without
 *    splice_read); into a file do_splice_direct (O_APPEND EINVAL; 0 for len 0; EINVAL without
 *    splice_write). sendfile writes at the output's file position and moves it.
 *  - splice (fs/splice.c): len 0 → 0 before anything, unknown SPLICE_F bits EINVAL, the fds, an
 *    offset without FMODE_PREAD/PWRITE EINVAL (not ESPIPE), O_APPEND on the output EINVAL,
 *    rw_verify_area, then the method.
 *  - copy_file_range (fs/read_write.c): the fds, flags ≠ 0 EINVAL, an output with O_APPEND EBADF,
 *    another superblock EXDEV, offsets that wrap as u64 EOVERFLOW, the count cut at the source's
 *    EOF, rw_verify_area, 0 for a zero count, then the splice fallback.
 */
import { err, ok, type OpOf } from '../vocab/index.js';
import { andThen, only, rule, type Decision } from '../rule.js';
import { LLONG_MAX, type Ctx, type FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { withInode } from '../state/update.js';
import { writeAt } from '../fileops/shmem-io.js';
import type { Inode, SpecState } from '../state/types.js';
import { onFile, type Steps } from '../run.js';
import { appendOn, badArea, readable } from './file-state.js';

type C = Ctx<'spliceLike'>;
type F = FileCtx<'spliceLike'>;
type Sp = OpOf<'spliceLike'>;

const SPLICE_F_ALL = 0xf;
const isSplice = (op: Sp): boolean => op.call === 'spliceIn' || op.call === 'spliceOut';
const isIn = (op: Sp): boolean => op.call === 'sendfileIn' || op.call === 'spliceIn' || op.call === 'copyIn';
/** offset −1 passes NULL; sendfileIn has no output offset at all. */
const hasOffset = (op: Sp): boolean => op.offset !== -1n && op.call !== 'sendfileIn';

/** FIO-25: splice returns 0 for len 0 before looking at the flags or the fds, then refuses unknown flags. */
export const spliceEarly = rule<C>({
  id: 'FIO-25',
  cite: 'FIO-25; fs/splice.c SYSCALL splice (!len, SPLICE_F_ALL before the fds), v7.2',
  decide: ({ s, op }) => {
    if (!isSplice(op)) return undefined;
    if (op.len === 0) return only(s, ok({ count: 0 }));
    return (op.flags & ~SPLICE_F_ALL) !== 0 ? only(s, err('EINVAL')) : undefined;
  },
});
export const spliceDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));
/** FIO-25: copy_file_range refuses any flag (after both fds; COPY_FILE_SPLICE is kernel-internal). */
export const copyFlags = rule<C>({
  id: 'FIO-25',
  cite: 'FIO-25; fs/read_write.c SYSCALL copy_file_range (flags != 0), v7.2',
  decide: ({ s, op }) => ((op.call === 'copyIn' || op.call === 'copyOut') && op.flags !== 0 ? only(s, err('EINVAL')) : undefined),
});
/** FIO-25: tee and vmsplice refuse unknown SPLICE_F bits first; tee returns 0 for len 0 before it looks at an fd. */
export const teeEarly = rule<C>({
  id: 'FIO-25',
  cite: 'FIO-25; fs/splice.c SYSCALL tee (SPLICE_F_ALL, then !len, before the fds), SYSCALL vmsplice (SPLICE_F_ALL before the fd), v7.2 (obs:FDC-11)',
  decide: ({ s, op }) => {
    if (op.call !== 'teeOut' && op.call !== 'teeIn' && op.call !== 'vmsplice') return undefined;
    if ((op.flags & ~SPLICE_F_ALL) !== 0) return only(s, err('EINVAL'));
    return op.call !== 'vmsplice' && op.len === 0 ? only(s, ok({ count: 0 })) : undefined;
  },
});
export const splicePre = [spliceEarly, teeEarly, spliceDead, copyFlags] as const;

/**
 * FIO-25: neither a gmem nor a memfd file is a pipe. tee needs a pipe on both sides (both files have
 * FMODE_READ and FMODE_WRITE, so do_tee's mode check passes and it answers EINVAL); vmsplice with
 * the fd as the pipe imports its vector first (an empty one: 0) and then finds no pipe: EBADF.
 */
export const notPipe = rule<F>({
  id: 'FIO-25',
  cite: 'FIO-25; fs/splice.c do_tee (get_pipe_info, FMODE_READ/FMODE_WRITE, -EINVAL), SYSCALL vmsplice (FMODE_WRITE: ITER_SOURCE; import_iovec; an empty iterator is 0), vmsplice_to_pipe (get_pipe_info: -EBADF), v7.2 (obs:FDC-11)',
  decide: ({ s, op }) => {
    if (op.call === 'teeOut' || op.call === 'teeIn') return only(s, err('EINVAL'));
    if (op.call === 'vmsplice') return only(s, op.len === 0 ? ok({ count: 0 }) : err('EBADF'));
    return undefined;
  },
});

/** The file side's position: the given offset or the file position. */
const posOf = (op: Sp, ino: Inode): bigint => (hasOffset(op) ? op.offset : ino.pos);

/** FIO-25: gmem never moves data; each call fails at its first check gmem cannot pass. */
export const fio25 = rule<F>({
  id: 'FIO-25',
  cite: 'FIO-25; fs/read_write.c do_sendfile, generic_file_rw_checks, generic_copy_file_checks; fs/splice.c do_splice, do_splice_read, do_splice_direct, splice_direct_to_actor, v7.2 (obs:FO-20..28)',
  decide: ({ s, op, ino }) => {
    if (ino.kind !== 'gmem') return undefined;
    const e = (x: 'EINVAL' | 'ESPIPE' | 'EXDEV' | 'EBADF'): Decision => only(s, err(x));
    switch (op.call) {
      case 'sendfileOut':
        if (hasOffset(op)) return e('ESPIPE');
        return op.len === 0 ? only(s, ok({ count: 0 })) : e('EINVAL');
      case 'sendfileIn':
        if (badArea(ino.pos, op.len) || appendOn(ino)) return e('EINVAL');
        return op.len === 0 ? only(s, ok({ count: 0 })) : e('EINVAL');
      case 'spliceOut':
      case 'spliceIn':
        // With an offset: no FMODE_PREAD / FMODE_PWRITE (the write() series sets FMODE_PWRITE:
        // then the method check, which also fails). Without: no splice_read / splice_write.
        return e('EINVAL');
      case 'copyOut':
        return e('EXDEV');
      case 'copyIn':
        return e(appendOn(ino) ? 'EBADF' : 'EXDEV');
    }
  },
});

/** After a move of n bytes: a NULL offset moves the file position. */
const advance = (s: SpecState, ino: Inode, op: Sp, n: number): SpecState =>
  hasOffset(op) || n === 0 ? s : withInode(s, { ...ino, pos: ino.pos + BigInt(n) });

/** copy_file_range's u64 wrap check on the file-side offset (the scratch side is at 0). */
const wrapsU64 = (pos: bigint, len: number): boolean => pos < 0n && BigInt(len) >= -pos;

/** GEN-SPLICE: shmem has splice_read/splice_write and the scratch memfd shares its superblock. */
export const shmemSplice = rule<F>({
  id: 'GEN-SPLICE',
  cite: 'fs/read_write.c do_sendfile, vfs_copy_file_range; fs/splice.c do_splice, do_splice_direct; mm/shmem.c shmem_file_splice_read, iter_file_splice_write, v7.2 (obs:FDC-06)',
  decide: ({ s, op, ino }) => {
    const pos = posOf(op, ino);
    const copy = op.call === 'copyIn' || op.call === 'copyOut';
    if (isIn(op)) {
      if (copy && appendOn(ino)) return only(s, err('EBADF'));
      if (copy && wrapsU64(pos, op.len)) return only(s, err('EOVERFLOW'));
      // copy_file_range: generic_write_check_limits before rw_verify_area — EFBIG at s_maxbytes
      // (LLONG_MAX on tmpfs), else the count is cut to end there (found by the native run, obs:FDC-06).
      if (copy && pos >= LLONG_MAX) return only(s, err('EFBIG'));
      const n = copy && pos >= 0n && LLONG_MAX - pos < BigInt(op.len) ? Number(LLONG_MAX - pos) : op.len;
      if (op.call === 'spliceIn' && appendOn(ino)) return only(s, err('EINVAL'));
      if (badArea(pos, n)) return only(s, err('EINVAL'));
      if (op.call === 'sendfileIn' && appendOn(ino)) return only(s, err('EINVAL'));
      if (n === 0) return only(s, ok({ count: 0 }));
      // writeAt moves the position to the end when asked: only for a NULL offset.
      return andThen(ok({ count: n }), () => writeAt(s, ino, pos, n, op.value, !hasOffset(op)));
    }
    if (copy && wrapsU64(pos, op.len)) return only(s, err('EOVERFLOW'));
    // copy_file_range cuts the count at the source's EOF before rw_verify_area; sendfile/splice check first.
    const n = pos >= 0n ? readable(ino, pos, op.len) : op.len;
    if (badArea(pos, copy ? n : op.len)) return only(s, err('EINVAL'));
    return n === 0 ? only(s, ok({ count: 0 })) : andThen(ok({ count: n }), () => advance(s, ino, op, n));
  },
});
export const spliceChain = [notPipe, fio25, shmemSplice] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  spliceLike: (p, s, o) => onFile({ p, s, op: o }, splicePre, o.fd, () => spliceChain),
} satisfies Steps;
