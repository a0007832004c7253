/** The effects of a successful fallocate (kept apart from the checks in ./fallocate.ts). */
import { dropGuardsOnGmemPunch } from '../mmap/guard-punch.js';
import { FALLOC, PAGE, err, ok } from '../vocab/index.js';
import { cases, fact, only, andThen, type Decision } from '../rule.js';
import { pagesUp, type FileCtx } from '../ctx.js';
import { imSet, imUpdate } from '../state/imap.js';
import { writeBytes } from '../state/bytes.js';
import { folio } from '../state/folio.js';
import { withInode, zapPtes, zapSptes } from '../state/update.js';
import type { Inode, SpecState } from '../state/types.js';
import { dmap3, goneAtInsert } from '../directmap/rules.js';

type F = FileCtx<'fallocate'>;

export const fio8 = fact('FIO-8', 'FIO-8; S1 kvm_gmem_punch_hole (clips at EOF)');
export const fio11 = fact('FIO-11', 'FIO-11; S1 (fallocate does not zero; the first fault does)');
export const fio12 = fact('FIO-12', 'FIO-12; S1 kvm_gmem_allocate signal_pending (EINTR, partial allocation stays)');
export const fio13 = fact('FIO-13', 'FIO-13; S1 (filemap_grab_folio errors propagate)');
export const fio16 = fact('FIO-16', 'FIO-16; S1 file_modified');
export const map7 = fact('MAP-7', 'MAP-7; S3 test_mmap_supported (punch zaps PTEs, next access sees zeroes)');
export const shr7 = fact('SHR-7', 'SHR-7; S10 (punch does not change attributes)');
export const ufd12 = fact('UFD-12', 'UFD-12; fs/userfaultfd.c userfaultfd_remove (fallocate sends no REMOVE event)');

/** Allocations larger than this may run out of memory on a real host (FIO-13). */
const BIG_ALLOC_PAGES = 1 << 20;

/** Punch file pages [a, b) of an inode: folios and data gone, every mapping of them zapped. */
export const punchPages = (s: SpecState, ino: Inode, a: number, b: number): SpecState => {
  if (a >= b) return s;
  const next = withInode(dropGuardsOnGmemPunch(s, ino, a, b), { ...ino, folios: imSet(ino.folios, a, b, undefined), data: imSet(ino.data, a, b, undefined) });
  return zapSptes(zapPtes(next, ino.id, a, b), ino, a, b);
};

export const gmemPunch = ({ p, s, op, ino }: F): Decision => {
  const a = Math.min(Number(op.offset >> 12n), ino.sizePages);
  const b = Math.min(Number((op.offset + op.len) >> 12n), ino.sizePages);
  const also = [fio8, map7, fio16, ...(p.features.conversion ? [shr7] : []), ...(p.features.uffd ? [ufd12] : [])];
  return andThen(ok(), () => punchPages(s, ino, a, b), also);
};

export const gmemAllocate = ({ p, s, op, ino }: F): Decision => {
  const a = Number(op.offset >> 12n);
  const b = Number((op.offset + op.len) >> 12n);
  // P-DMAP-GRAN MAPPING: the direct map goes when the folio enters the page cache (DMAP-3).
  const gone = goneAtInsert(p, ino);
  const fresh = folio(false, gone);
  const next = () => withInode(s, { ...ino, folios: imUpdate(ino.folios, a, b, (f) => f ?? fresh) });
  const also = gone ? [fio11, fio16, dmap3] : [fio11, fio16];
  if (b - a <= BIG_ALLOC_PAGES) return andThen(ok(), next, also);
  return cases([[ok(), next], [err('ENOMEM'), () => s]], 'FIO-13: a very large allocation may exhaust memory (the partial allocation is not observable)', [...also, fio13, fio12]);
};

/** memfd: allocate (extending unless KEEP_SIZE) or punch (partial pages zeroed). */
export const shmemFallocate = ({ s, op, ino }: F): Decision => {
  if ((op.mode & ~(FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE)) !== 0) return only(s, err('EOPNOTSUPP'));
  const end = op.offset + op.len;
  if ((op.mode & FALLOC.PUNCH_HOLE) !== 0) return andThen(ok(), () => shmemPunch(s, ino, op.offset, end));
  const a = Number(op.offset >> 12n);
  const b = pagesUp(end);
  const grow = (op.mode & FALLOC.KEEP_SIZE) === 0 && end > ino.sizeBytes;
  const next = () => withInode(s, {
    ...ino,
    // A page an earlier fallocate left not up to date is cleared and marked up to date now
    // (shmem_get_folio_gfp with SGP_FALLOC takes the `clear:` path for it): it becomes resident.
    folios: imUpdate(ino.folios, a, b, (f) => (f === undefined ? folio(false, false) : f.uptodate ? f : folio(true, f.dmapGone))),
    ...(grow ? { sizeBytes: end, sizePages: pagesUp(end) } : {}),
  });
  if (b - a <= BIG_ALLOC_PAGES) return andThen(ok(), next);
  return cases([[ok(), next], [err('ENOMEM'), () => s], [err('ENOSPC'), () => s]], 'a very large shmem allocation may exhaust memory');
};

/** Punch bytes [from, end): whole pages are freed and unmapped, partial edge pages zeroed. */
const shmemPunch = (s: SpecState, ino: Inode, from: bigint, end: bigint): SpecState => {
  const pa = Number(from >> 12n);
  const fa = Number(from & 4095n);
  const pz = Number((end - 1n) >> 12n);
  const ez = Number((end - 1n) & 4095n) + 1;
  let data = ino.data;
  if (pa === pz && (fa !== 0 || ez !== PAGE)) return withInode(s, { ...ino, data: writeBytes(data, pa, fa, ez, 0) });
  let w0 = pa;
  let w1 = pz + 1;
  if (fa !== 0) { data = writeBytes(data, pa, fa, PAGE, 0); w0 = pa + 1; }
  if (ez !== PAGE) { data = writeBytes(data, pz, 0, ez, 0); w1 = pz; }
  data = imSet(data, w0, w1, undefined);
  const next = withInode(s, { ...ino, data, folios: imSet(ino.folios, w0, w1, undefined) });
  return zapPtes(next, ino.id, w0, w1);
};
