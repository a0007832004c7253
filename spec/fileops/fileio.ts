/**
 * read/write/pread/pwrite/lseek/fsync. gmem has no read/write/llseek/fsync methods (S1 fops are
 * mmap/open/release/fallocate only), so each call fails with the VFS's errno for the missing
 * method (FIO-1, FIO-2, FIO-14). The write() series makes pwrite a population path (FIO-15).
 */
import { err, ok } from '../vocab/index.js';
import { andThen, only, rule } from '../rule.js';
import { negative, type Ctx, type FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { pwritePopulate, writeSeries } from './populate.js';
import { withInode } from '../state/update.js';
import { onFile, type Steps } from '../run.js';
import { shmemIo } from './shmem-io.js';

type C = Ctx<'fileIo'>;
type F = FileCtx<'fileIo'>;

/** GEN-PREAD-POS: a negative position is EINVAL before the fd is looked up. */
export const preadPos = rule<C>({
  id: 'GEN-PREAD-POS',
  cite: 'fs/read_write.c ksys_pread64, ksys_pwrite64',
  decide: ({ s, op }) => ((op.call === 'pread' || op.call === 'pwrite') && negative(op.offset) ? only(s, err('EINVAL')) : undefined),
});
export const ioDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));
export const ioPreChain = [preadPos, ioDead] as const;

/** FIO-29 (FIO-15 refined): with the write() series, write/pwrite on gmem populate page by page (see ./populate.ts). */
export const fio15 = rule<F>({
  id: 'FIO-29',
  cite: 'FIO-29, FIO-15; S23 v6, S8 kvm_gmem write path; mm/filemap.c generic_perform_write, v7.2',
  decide: (c) => ((c.op.call === 'pwrite' || c.op.call === 'write') && writeSeries(c.p) ? pwritePopulate(c) : undefined),
});

/** FIO-1: read/write → EINVAL (no FMODE_CAN_READ/WRITE); pread/pwrite → ESPIPE (no FMODE_PREAD/PWRITE). */
export const fio1 = rule<F>({
  id: 'FIO-1',
  cite: 'FIO-1; S1 fops; fs/read_write.c vfs_read, ksys_pread64 (obs:FO-P-01..07)',
  decide: ({ s, op }) =>
    op.call === 'read' || op.call === 'write' ? only(s, err('EINVAL'))
      : op.call === 'pread' || op.call === 'pwrite' ? only(s, err('ESPIPE')) : undefined,
});

/** FIO-2: lseek → ESPIPE (no FMODE_LSEEK); the write() series adds default_llseek (S8). */
export const fio2 = rule<F>({
  id: 'FIO-2',
  cite: 'FIO-2; fs/read_write.c vfs_llseek (obs:FO-10..14); S8',
  decide: (c) => {
    if (c.op.call !== 'lseek') return undefined;
    if (!writeSeries(c.p)) return only(c.s, err('ESPIPE'));
    // S8: .llseek = default_llseek: SEEK_SET to any non-negative offset.
    if (negative(c.op.offset)) return only(c.s, err('EINVAL'));
    return andThen(ok({ offset: c.op.offset }), () => withInode(c.s, { ...c.ino, pos: c.op.offset }));
  },
});

/** FIO-14: fsync/fdatasync → EINVAL (no fsync method). */
export const fio14Fsync = rule<F>({
  id: 'FIO-14',
  cite: 'FIO-14; fs/sync.c vfs_fsync_range (obs:HF-54..56)',
  decide: ({ s }) => only(s, err('EINVAL')),
});

export const gmemIoChain = [fio15, fio1, fio2, fio14Fsync] as const;

const SHMEM_IO = [shmemIo];

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fileIo: (p, s, o) => onFile({ p, s, op: o }, ioPreChain, o.fd, (f) => (f.ino.kind === 'gmem' ? gmemIoChain : SHMEM_IO)),
} satisfies Steps;
