/**
 * fallocate, in the order the kernel checks (FIO-5): the fd, the VFS checks in vfs_fallocate
 * (EINVAL for a negative offset or non-positive length, EOPNOTSUPP for modes the VFS refuses,
 * EFBIG for offset+len past loff_t), then kvm_gmem_fallocate's mode (FIO-3, FIO-4), alignment
 * (FIO-6), range (FIO-7, allocation only) and effect (FIO-8..11).
 */
import { FALLOC, err } from '../vocab/index.js';
import { only, rule } from '../rule.js';
import { LLONG_MAX, aligned, negative, type Ctx, type FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { gmemAllocate, gmemPunch, shmemFallocate } from './falloc-effect.js';
import { onFile, type Steps } from '../run.js';

type C = Ctx<'fallocate'>;
type F = FileCtx<'fallocate'>;

/** FALLOC_FL_MODE_MASK (include/linux/falloc.h, 6.18): the mutually exclusive mode bits. */
const MODE_MASK = FALLOC.PUNCH_HOLE | FALLOC.COLLAPSE_RANGE | FALLOC.ZERO_RANGE | FALLOC.INSERT_RANGE | FALLOC.UNSHARE_RANGE | FALLOC.WRITE_ZEROES;

export const fallocDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

/** FIO-5: offset < 0 or len <= 0 → EINVAL, before anything else in vfs_fallocate. */
export const fio5Args = rule<C>({
  id: 'FIO-5',
  cite: 'FIO-5; fs/open.c vfs_fallocate (obs:FA-R06..08, FA-R13/14)',
  decide: ({ s, op }) => (negative(op.offset) || negative(op.len) || op.len === 0n ? only(s, err('EINVAL')) : undefined),
});

/** FIO-4: modes the VFS itself refuses (unknown bits, combined modes, PUNCH without KEEP_SIZE, ...). */
export const fio4Vfs = rule<C>({
  id: 'FIO-4',
  cite: 'FIO-4, FIO-3; fs/open.c vfs_fallocate mode switch (obs:FA-M01..18)',
  decide: ({ s, op }) => (vfsModeOk(op.mode) ? undefined : only(s, err('EOPNOTSUPP'))),
});

const vfsModeOk = (mode: number): boolean => {
  if ((mode & ~(MODE_MASK | FALLOC.KEEP_SIZE)) !== 0) return false;
  const keep = (mode & FALLOC.KEEP_SIZE) !== 0;
  switch (mode & MODE_MASK) {
    case 0: case FALLOC.ZERO_RANGE: case FALLOC.UNSHARE_RANGE: return true;
    case FALLOC.PUNCH_HOLE: return keep;
    case FALLOC.COLLAPSE_RANGE: case FALLOC.INSERT_RANGE: case FALLOC.WRITE_ZEROES: return !keep;
    default: return false;
  }
};

/** FIO-5: offset+len beyond s_maxbytes (loff_t) → EFBIG, for allocate and punch alike. */
export const fio5Efbig = rule<C>({
  id: 'FIO-5',
  cite: 'FIO-5; fs/open.c vfs_fallocate wraparound check (obs:FA-R20..21, FA-R25)',
  decide: ({ s, op }) => (op.offset + op.len > LLONG_MAX ? only(s, err('EFBIG')) : undefined),
});
export const fallocPre = [fallocDead, fio5Args, fio4Vfs, fio5Efbig] as const;

/** FIO-3: gmem requires KEEP_SIZE. */
export const fio3 = rule<F>({
  id: 'FIO-3',
  cite: 'FIO-3; S1 kvm_gmem_fallocate (obs:FA-M01, FA-M03)',
  decide: ({ s, op }) => ((op.mode & FALLOC.KEEP_SIZE) === 0 ? only(s, err('EOPNOTSUPP')) : undefined),
});

/** FIO-4: gmem supports only KEEP_SIZE and PUNCH_HOLE. */
export const fio4 = rule<F>({
  id: 'FIO-4',
  cite: 'FIO-4; S1 kvm_gmem_fallocate',
  decide: ({ s, op }) => ((op.mode & ~(FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE)) !== 0 ? only(s, err('EOPNOTSUPP')) : undefined),
});

/** FIO-6: offset and len page-aligned, for allocate and punch. */
export const fio6 = rule<F>({
  id: 'FIO-6',
  cite: 'FIO-6; S1 kvm_gmem_fallocate; S3 test_invalid_punch_hole',
  decide: ({ s, op }) => (aligned(op.offset) && aligned(op.len) ? undefined : only(s, err('EINVAL'))),
});

/** FIO-7: allocation must lie inside the file; nothing is allocated otherwise. */
export const fio7 = rule<F>({
  id: 'FIO-7',
  cite: 'FIO-7; S1 kvm_gmem_allocate; S3 test_fallocate',
  decide: ({ s, op, ino }) =>
    (op.mode & FALLOC.PUNCH_HOLE) === 0 && op.offset + op.len > ino.sizeBytes ? only(s, err('EINVAL')) : undefined,
});

/** FIO-8/9: punch (clipped at EOF) frees folios, zeroes contents, zaps host and guest mappings. */
export const fio9 = rule<F>({
  id: 'FIO-9',
  cite: 'FIO-8, FIO-9; S1 kvm_gmem_punch_hole; S3 test_mmap_supported',
  decide: (c) => ((c.op.mode & FALLOC.PUNCH_HOLE) !== 0 ? gmemPunch(c) : undefined),
});

/** FIO-10: allocation is idempotent and keeps data; new folios are not yet zeroed (FIO-11). */
export const fio10 = rule<F>({
  id: 'FIO-10',
  cite: 'FIO-10, FIO-11; S1 kvm_gmem_allocate (filemap_grab_folio)',
  decide: (c) => gmemAllocate(c),
});
export const gmemFallocChain = [fio3, fio4, fio6, fio7, fio9, fio10] as const;

/** GEN-SHMEM-FALLOCATE: the memfd control backing. */
export const shmemFalloc = rule<F>({
  id: 'GEN-SHMEM-FALLOCATE',
  cite: 'mm/shmem.c shmem_fallocate',
  decide: (c) => shmemFallocate(c),
});

const SHMEM_FALLOC = [shmemFalloc];

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  fallocate: (p, s, o) => onFile({ p, s, op: o }, fallocPre, o.fd, (f) => (f.ino.kind === 'gmem' ? gmemFallocChain : SHMEM_FALLOC)),
} satisfies Steps;
