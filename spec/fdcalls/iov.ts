/**
 * readv/writev, preadv/pwritev, preadv2/pwritev2 (FIO-18, FIO-19, FIO-20, GEN-SHMEM-IOV, GEN-RWF).
 * Check order (fs/read_write.c): a positioned form with a negative position is EINVAL before the
 * fd is looked up (the *v2 forms take −1 as "the file position" and go the readv/writev way); the
 * fd; FMODE_PREAD/PWRITE for the positioned forms (ESPIPE); FMODE_CAN_READ/WRITE (EINVAL) before
 * the iovec is imported; then the vector count (> IOV_MAX EINVAL), a zero total (0 before
 * anything else), rw_verify_area, and only then the RWF_* word (kiocb_set_rw_flags). A gmem file
 * fails on its mode, so its RWF word is never examined. Only the *v2 forms carry the RWF word.
 */
import { RWF, err, ok, type OpOf } from '../vocab/index.js';
import { andThen, only, rule, type Decision } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { withInode } from '../state/update.js';
import { pwritePopulate, writeSeries } from '../fileops/populate.js';
import { writeAt } from '../fileops/shmem-io.js';
import { onFile, type Steps } from '../run.js';
import { appendCount, appendOn, badArea, readable } from './file-state.js';

type C = Ctx<'fileIoV'>;
type F = FileCtx<'fileIoV'>;
type IoV = OpOf<'fileIoV'>;

const UIO_MAXIOV = 1024;
const RWF_SUPPORTED = 0x1ff;

const isWrite = (op: IoV): boolean => op.call === 'writev' || op.call === 'pwritev' || op.call === 'pwritev2';
/** Does the call use op.offset (and not the file position)? */
const positioned = (op: IoV): boolean => op.call === 'preadv' || op.call === 'pwritev' || ((op.call === 'preadv2' || op.call === 'pwritev2') && op.offset !== -1n);
const rwfOf = (op: IoV): number => (op.call === 'preadv2' || op.call === 'pwritev2' ? op.rwf : 0);
const total = (op: IoV): number => (op.iovcnt === 0 ? 0 : op.len);

/** FIO-19: a negative position of a positioned form is EINVAL before the fd (−1 of the *v2 forms excepted). */
export const iovPos = rule<C>({
  id: 'FIO-19',
  cite: 'FIO-19; fs/read_write.c do_preadv, do_pwritev (pos < 0), SYSCALL preadv2/pwritev2 (pos == -1), v7.2',
  decide: ({ s, op }) => (positioned(op) && op.offset < 0n ? only(s, err('EINVAL')) : undefined),
});
export const iovDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));
export const iovPre = [iovPos, iovDead] as const;

/**
 * GEN-RWF: kiocb_set_rw_flags on a file without FMODE_NOWAIT, atomic writes or FOP_DONTCACHE (shmem,
 * and gmem under the write() series): unknown bits EOPNOTSUPP, APPEND with NOAPPEND EINVAL,
 * NOWAIT/ATOMIC/DONTCACHE EOPNOTSUPP; HIPRI, DSYNC, SYNC, APPEND, NOAPPEND, NOSIGNAL accepted.
 */
export const rwfError = (rwf: number): 'EOPNOTSUPP' | 'EINVAL' | undefined => {
  if (rwf === 0) return undefined;
  if ((rwf & ~RWF_SUPPORTED) !== 0) return 'EOPNOTSUPP';
  if ((rwf & RWF.APPEND) !== 0 && (rwf & RWF.NOAPPEND) !== 0) return 'EINVAL';
  if ((rwf & (RWF.NOWAIT | RWF.ATOMIC | RWF.DONTCACHE)) !== 0) return 'EOPNOTSUPP';
  return undefined;
};

/** import_iovec, the zero total, rw_verify_area, then the RWF word: the part every file with a method shares. */
const common = (c: F, pos: bigint): Decision | undefined => {
  const { s, op } = c;
  if (op.iovcnt > UIO_MAXIOV) return only(s, err('EINVAL'));
  const tot = total(op);
  if (tot === 0) return only(s, ok({ count: 0 }));
  if (badArea(pos, tot)) return only(s, err('EINVAL'));
  const e = rwfError(rwfOf(op));
  return e === undefined ? undefined : only(s, err(e));
};

/** Does this gmem call stop at the file's mode (no method, no FMODE_PREAD/PWRITE)? Writes pass under the write() series. */
const modeRefuses = (c: F): boolean => c.ino.kind === 'gmem' && !(isWrite(c.op) && writeSeries(c.p));
const modeErrno = (op: IoV): 'ESPIPE' | 'EINVAL' => (positioned(op) ? 'ESPIPE' : 'EINVAL');

/** FIO-20: where the mode refuses the call, the RWF word is never looked at (every word, the same errno as 0). */
export const fio20 = rule<F>({
  id: 'FIO-20',
  cite: 'FIO-20; fs/read_write.c do_preadv/vfs_readv (mode checks before do_iter_readv_writev → kiocb_set_rw_flags), v7.2',
  decide: (c) => (modeRefuses(c) && rwfOf(c.op) !== 0 ? only(c.s, err(modeErrno(c.op))) : undefined),
});

/** FIO-19: a positioned gmem call without FMODE_PREAD/PWRITE → ESPIPE. */
export const fio19 = rule<F>({
  id: 'FIO-19',
  cite: 'FIO-19; fs/read_write.c do_preadv, do_pwritev (FMODE_PREAD/PWRITE), v7.2 (obs:FO-P-01..07)',
  decide: (c) => (modeRefuses(c) && positioned(c.op) ? only(c.s, err('ESPIPE')) : undefined),
});

/** FIO-18: readv/writev on gmem → EINVAL before the iovec; under the write() series writes go to the write path (FIO-15). */
export const fio18 = rule<F>({
  id: 'FIO-18',
  cite: 'FIO-18; fs/read_write.c vfs_readv, vfs_writev (mode checks before import_iovec), v7.2 (obs:FO-P-01..07, FO-S-01..07); S8 write path',
  decide: (c) => {
    const { s, op, ino } = c;
    if (ino.kind !== 'gmem') return undefined;
    if (modeRefuses(c)) return only(s, err('EINVAL'));
    const pos = positioned(op) ? op.offset : ino.pos;
    const early = common(c, pos);
    if (early !== undefined) return early;
    const call = positioned(op) ? 'pwrite' : 'write';
    return pwritePopulate({ ...c, op: { kind: 'fileIo', fd: op.fd, call, offset: op.offset, len: total(op), value: op.value } });
  },
});

/** GEN-SHMEM-IOV: shmem reads stop at EOF, writes extend the file; O_APPEND or RWF_APPEND writes at EOF (RWF_NOAPPEND overrides O_APPEND). */
export const shmemIov = rule<F>({
  id: 'GEN-SHMEM-IOV',
  cite: 'fs/read_write.c vfs_readv, vfs_writev, do_readv; include/linux/fs.h kiocb_set_rw_flags; mm/filemap.c generic_write_checks; fs/read_write.c generic_write_check_limits (at EOF); mm/shmem.c shmem_file_read_iter, v7.2 (obs:FDC-02, CCR-07)',
  decide: (c) => {
    const { s, op, ino } = c;
    const at = positioned(op) ? op.offset : ino.pos;
    const early = common(c, at);
    if (early !== undefined) return early;
    const tot = total(op);
    const moves = !positioned(op);
    if (!isWrite(op)) {
      const n = readable(ino, at, tot);
      return moves ? andThen(ok({ count: n }), () => withInode(s, { ...ino, pos: at + BigInt(n) })) : only(s, ok({ count: n }));
    }
    const rwf = rwfOf(op);
    const append = (rwf & RWF.APPEND) !== 0 || (appendOn(ino) && (rwf & RWF.NOAPPEND) === 0);
    const n = append ? appendCount(ino.sizeBytes, tot) : tot;
    if (n === 'EFBIG') return only(s, err('EFBIG'));
    return andThen(ok({ count: n }), () => writeAt(s, ino, append ? ino.sizeBytes : at, n, op.value, moves));
  },
});
export const iovChain = [fio20, fio19, fio18, shmemIov] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fileIoV: (p, s, o) => onFile({ p, s, op: o }, iovPre, o.fd, () => iovChain),
} satisfies Steps;
