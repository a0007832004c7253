/** ftruncate: gmem sizes are immutable (FIO-14); memfd truncation is the generic shmem one. */
import { err, ok } from '../vocab/index.js';
import { only, rule, andThen } from '../rule.js';
import { negative, pagesUp, type Ctx, type FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { imSet } from '../state/imap.js';
import { writeBytes } from '../state/bytes.js';
import { withInode, zapPtes } from '../state/update.js';
import { onFile, type Steps } from '../run.js';

/** GEN-FTRUNCATE-NEG: a negative length is EINVAL before the fd is looked up. */
export const ftruncNeg = rule<Ctx<'ftruncate'>>({
  id: 'GEN-FTRUNCATE-NEG',
  cite: 'fs/open.c do_sys_ftruncate',
  decide: ({ s, op }) => (negative(op.size) ? only(s, err('EINVAL')) : undefined),
});
export const ftruncDead = ebadf<Ctx<'ftruncate'>>(({ s, op }) => fdDead(s, op.fd));
export const ftruncPre = [ftruncNeg, ftruncDead] as const;

/** FIO-14: gmem setattr always fails, even for the same size. */
export const fio14 = rule<FileCtx<'ftruncate'>>({
  id: 'FIO-14',
  cite: 'FIO-14; S1 kvm_gmem_setattr (obs:FD-14..18)',
  decide: ({ s, ino }) => (ino.kind === 'gmem' ? only(s, err('EINVAL')) : undefined),
});

/**
 * GEN-SHMEM-TRUNCATE: the new size. Only a size at or below the old one truncates: the pages from
 * the new EOF on are freed — fallocated ones past the old EOF (KEEP_SIZE) too, even when the size
 * does not change — mapped ones unmapped, and the last page zeroed past EOF. A larger size only
 * moves EOF: pages fallocated past the old EOF stay (mm/shmem.c shmem_setattr, v7.2: the truncate
 * runs under `newsize <= oldsize`). Found by a random emulator run (spec and emulator each wrong
 * in one direction).
 */
export const shmemTruncate = rule<FileCtx<'ftruncate'>>({
  id: 'GEN-SHMEM-TRUNCATE',
  cite: 'mm/shmem.c shmem_setattr (newsize <= oldsize: shmem_truncate_range from newsize), shmem_truncate_range, v7.2',
  decide: ({ s, op, ino }) =>
    andThen(ok(), () => {
      const keep = pagesUp(op.size);
      if (op.size > ino.sizeBytes) return withInode(s, { ...ino, sizeBytes: op.size, sizePages: keep });
      const big = Number.MAX_SAFE_INTEGER;
      let data = imSet(ino.data, keep, big, undefined);
      const tail = Number(op.size & 4095n);
      if (tail !== 0) data = writeBytes(data, keep - 1, tail, 4096, 0);
      const next = withInode(s, { ...ino, sizeBytes: op.size, sizePages: keep, data, folios: imSet(ino.folios, keep, big, undefined) });
      return zapPtes(next, ino.id, keep, big, true);
    }),
});
export const ftruncFileChain = [fio14, shmemTruncate] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  ftruncate: (p, s, o) => onFile({ p, s, op: o }, ftruncPre, o.fd, () => ftruncFileChain),
} satisfies Steps;
