/**
 * io_uring read and write opcodes on a gmem or memfd fd (FIO-27). The order differs from
 * preadv2/pwritev2 (io_uring/rw.c, v7.2): the fd is looked up when the SQE is taken (EBADF in the
 * completion); the buffer is imported (the harness registers or passes one that fits);
 * io_rw_init_file checks the mode bit (both files are O_RDWR), then the rw_flags word first of all
 * (kiocb_set_rw_flags: unknown bits, APPEND|NOAPPEND, NOWAIT/ATOMIC/DONTCACHE without the file's
 * support), then RWF_HIPRI, which needs an IOPOLL ring (EINVAL on ours); only then the position
 * (−1 = the file position, which a completion moves) and rw_verify_area, and the file's read_iter /
 * write_iter. A gmem file has neither: EINVAL whatever the position, the length or O_NONBLOCK
 * (the first non-blocking issue is punted to a worker, which fails the same way). Under the
 * write() series gmem has write_iter and FMODE_PWRITE, so a write then goes as pwritev2 does
 * (FIO-29); memfd reads and writes as preadv2/pwritev2 would with the same word.
 */
import { RWF, err, type OpOf } from '../vocab/index.js';
import { first, only, rule } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import type { Steps } from '../run.js';
import type { Verdict } from '../verdict.js';
import type { SpecState } from '../state/types.js';
import { rwfError, steps as iov } from './iov.js';

type C = Ctx<'fdUring'>;
type F = FileCtx<'fdUring'>;
type U = OpOf<'fdUring'>;

const isWrite = (op: U): boolean => op.call === 'write' || op.call === 'writev' || op.call === 'writeFixed';

export const uringDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

/** FIO-27: the rw_flags word before anything else of the file; HIPRI needs IOPOLL. */
export const fio27Flags = rule<F>({
  id: 'FIO-27',
  cite: 'FIO-27; io_uring/rw.c io_rw_init_file (mode, kiocb_set_rw_flags, IOCB_HIPRI without IORING_SETUP_IOPOLL); include/linux/fs.h kiocb_set_rw_flags, v7.2 (obs:FDC-12)',
  decide: ({ s, op }) => {
    const e = rwfError(op.rwf);
    if (e !== undefined) return only(s, err(e));
    return (op.rwf & RWF.HIPRI) !== 0 ? only(s, err('EINVAL')) : undefined;
  },
});

/** FIO-27: gmem has no read_iter/read, and no write_iter/write outside the write() series. */
export const fio27Gmem = rule<F>({
  id: 'FIO-27',
  cite: 'FIO-27; io_uring/rw.c __io_read (io_iter_do_read: no read_iter or read → EINVAL), io_write (no write_iter or write → EINVAL); virt/kvm/guest_memfd.c kvm_gmem_fops, v7.2',
  decide: ({ p, s, op, ino }) => (ino.kind === 'gmem' && !(p.features.write && isWrite(op)) ? only(s, err('EINVAL')) : undefined),
});

/** The rest is the file's own read/write path, as pwritev2/preadv2 take it (GEN-SHMEM-IOV; FIO-29 for gmem writes). */
const asIov = (p: Parameters<typeof iov.fileIoV>[0], s: SpecState, op: U): Verdict<SpecState> =>
  iov.fileIoV(p, s, { kind: 'fileIoV', fd: op.fd, call: isWrite(op) ? 'pwritev2' : 'preadv2', offset: op.offset, len: op.len, iovcnt: 1, rwf: op.rwf, value: op.value });

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fdUring: (p, s, o) => {
    const c: C = { p, s, op: o };
    const dead = first(c, [uringDead]);
    if (dead !== undefined) return dead;
    const f: F = { ...c, ino: s.inodes.get(s.fds.get(o.fd)!.inode)! };
    return first(f, [fio27Flags, fio27Gmem]) ?? asIov(p, s, o);
  },
} satisfies Steps;
