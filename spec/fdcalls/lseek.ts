/**
 * lseek with every whence (FIO-21, GEN-SHMEM-SEEK). ksys_lseek looks the fd up, then refuses a
 * whence above SEEK_HOLE compared as an unsigned int (5, bit 31, all ones) before asking the file.
 * A gmem file has no llseek (ESPIPE for whence 0..4); the write() series gives it default_llseek.
 * memfd: generic_file_llseek_size for SET/CUR/END, the page cache for DATA/HOLE (an up-to-date
 * folio is data; a fallocated folio not yet written is a hole, as is every missing page).
 */
import { SEEK, err, ok, type Outcome } from '../vocab/index.js';
import { andThen, cases, only, rule, type Decision } from '../rule.js';
import type { Ctx, FileCtx } from '../ctx.js';
import { ebadf, fdDead } from '../lifetime/handles.js';
import { imFind, imGet } from '../state/imap.js';
import { pagesUp } from '../ctx.js';
import { withInode } from '../state/update.js';
import type { Inode, SpecState } from '../state/types.js';
import { writeSeries } from '../fileops/populate.js';
import { onFile, type Steps } from '../run.js';
import { asLoff } from './file-state.js';

type C = Ctx<'lseek'>;
type F = FileCtx<'lseek'>;

export const lseekDead = ebadf<C>(({ s, op }) => fdDead(s, op.fd));

/** FIO-21: whence > SEEK_HOLE (unsigned) → EINVAL on any file, after the fd lookup. */
export const lseekWhence = rule<C>({
  id: 'FIO-21',
  cite: 'FIO-21; fs/read_write.c ksys_lseek (whence <= SEEK_MAX), v7.2',
  decide: ({ s, op }) => (op.whence > SEEK.HOLE ? only(s, err('EINVAL')) : undefined),
});
export const lseekPre = [lseekDead, lseekWhence] as const;

const setPos = (s: SpecState, ino: Inode, pos: bigint): Decision =>
  pos < 0n ? only(s, err('EINVAL')) : andThen(ok({ offset: pos }), () => withInode(s, { ...ino, pos }));

/** generic_file_llseek_size / default_llseek for SET, CUR, END (vfs_setpos refuses a negative result). */
const plainSeek = (s: SpecState, ino: Inode, offset: bigint, whence: number): Decision => {
  if (whence === SEEK.SET) return setPos(s, ino, offset);
  if (whence === SEEK.CUR) return offset === 0n ? only(s, ok({ offset: ino.pos })) : setPos(s, ino, asLoff(ino.pos + offset));
  return setPos(s, ino, asLoff(ino.sizeBytes + offset));
};

/** FIO-21: no FMODE_LSEEK → ESPIPE; the write() series: default_llseek (DATA/HOLE against i_size only). */
export const fio21 = rule<F>({
  id: 'FIO-21',
  cite: 'FIO-21; fs/read_write.c vfs_llseek, default_llseek, v7.2 (obs:FO-10..14); S8 .llseek = default_llseek',
  decide: ({ p, s, op, ino }) => {
    if (ino.kind !== 'gmem') return undefined;
    if (!writeSeries(p)) return only(s, err('ESPIPE'));
    if (op.whence < SEEK.DATA) return plainSeek(s, ino, op.offset, op.whence);
    // default_llseek compares signed: a negative offset is below i_size and then fails vfs_setpos.
    if (op.offset >= ino.sizeBytes) return only(s, err('ENXIO'));
    return setPos(s, ino, op.whence === SEEK.DATA ? op.offset : ino.sizeBytes);
  },
});

/** mm/filemap.c mapping_seek_hole_data over [start, size): the first data (or hole) byte at or after start. */
const seekHoleData = (ino: Inode, start: bigint, data: boolean): bigint | 'ENXIO' => {
  const end = ino.sizeBytes;
  if (end <= start) return 'ENXIO';
  // An interval query, never a page loop: a file may be 2^51 pages long.
  const pg = imFind(ino.folios, Number(start >> 12n), pagesUp(end), (f) => (f?.uptodate === true) === data);
  if (pg === undefined) return data ? 'ENXIO' : end; // a hole is implied at the end
  const at = BigInt(pg) << 12n;
  return at > start ? at : start;
};

/** The last page below 2^63: mapping_seek_hole_data's folio end `round_up(pos + 1, size)` is 2^63 there, a negative loff_t. */
const LAST_PAGE = 2 ** 51 - 1;
const LLONG_MIN = -(1n << 63n);

/**
 * The overflow of mapping_seek_hole_data at the last page below 2^63 (measured on 6.18.44, obs:FDC-08;
 * the v7.2 code is the same): a DATA search whose first data is that page finds nothing (ENXIO), and
 * a HOLE search whose data run reaches it returns LLONG_MIN — a negative offset that is no errno,
 * without moving the file position. A kernel defect, allowed beside the right answer so that a run
 * goes on past it, and named by the verdict's reason; docs/probe-records/linux-6.18.44-nogmem-fd.md.
 */
const seekOverflow = (ino: Inode, start: bigint, data: boolean): 'ENXIO' | 'LLONG_MIN' | undefined => {
  if (ino.sizeBytes <= BigInt(LAST_PAGE) << 12n) return undefined;
  const from = Number(start >> 12n);
  if (data) return imFind(ino.folios, from, LAST_PAGE + 1, (f) => f?.uptodate === true) === LAST_PAGE ? 'ENXIO' : undefined;
  if (imGet(ino.folios, from)?.uptodate !== true) return undefined;
  return imFind(ino.folios, from, LAST_PAGE + 1, (f) => f?.uptodate !== true) === undefined ? 'LLONG_MIN' : undefined;
};
const OVERFLOW = 'GEN-SHMEM-SEEK: a kernel defect, measured on 6.18.44 (obs:FDC-08): SEEK_DATA/SEEK_HOLE overflow at the last page below 2^63 (mm/filemap.c mapping_seek_hole_data: round_up to 2^63)';

/** GEN-SHMEM-SEEK: shmem_file_llseek. */
export const shmemSeek = rule<F>({
  id: 'GEN-SHMEM-SEEK',
  cite: 'mm/shmem.c shmem_file_llseek; mm/filemap.c mapping_seek_hole_data, folio_seek_hole_data; fs/read_write.c generic_file_llseek_size, v7.2 (obs:FDC-01, FDC-08)',
  decide: ({ s, op, ino }) => {
    if (op.whence < SEEK.DATA) return plainSeek(s, ino, op.offset, op.whence);
    if (op.offset < 0n) return only(s, err('ENXIO'));
    const data = op.whence === SEEK.DATA;
    const r = seekHoleData(ino, op.offset, data);
    const right = r === 'ENXIO' ? only(s, err('ENXIO')) : setPos(s, ino, r);
    const bug = seekOverflow(ino, op.offset, data);
    if (bug === undefined) return right;
    const wrong: Outcome = bug === 'ENXIO' ? err('ENXIO') : ok({ offset: LLONG_MIN });
    return cases([[right.allowed[0]!, () => right.next(right.allowed[0]!)], [wrong, () => s]], OVERFLOW);
  },
});
export const lseekChain = [fio21, shmemSeek] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  lseek: (p, s, o) => onFile({ p, s, op: o }, lseekPre, o.fd, () => lseekChain),
} satisfies Steps;
