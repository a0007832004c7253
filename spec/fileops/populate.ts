/**
 * write()/pwrite() population (FIO-15, FIO-29, PROP write() series) and its interaction with
 * direct-map removal (DMAP-6, P-WRITE): ONCE refuses folios whose direct map is already gone with
 * EEXIST; MERMAP always writes through a temporary kernel mapping.
 *
 * FIO-29: the series' fops set `.write_iter = generic_perform_write`, so the VFS write loop calls
 * the gmem `write_begin` once per page-sized chunk (the mapping's largest folio is one page) and
 * the first refused chunk ends the call: the pages already written are returned as a short count,
 * and only a call that wrote nothing fails with the refusal's errno.
 */
import { PAGE, err, ok, type Outcome, type Profile } from '../vocab/index.js';
import { cases, only, andThen, fact, type Decision } from '../rule.js';
import { dmap6 } from '../directmap/rules.js';
import { aligned, type FileCtx } from '../ctx.js';
import type { Inode, SpecState } from '../state/types.js';
import { imFind, imUpdate } from '../state/imap.js';
import { writeSpan } from '../state/bytes.js';
import { folio } from '../state/folio.js';
import { withInode } from '../state/update.js';
import { firstPrivate } from '../shareability/shared.js';

/** Does this file accept pwrite (P-FLAG-BIT2 WRITE: only files created with the WRITE flag)? */
export const writeEnabled = (p: Profile, ino: Inode): boolean =>
  ino.kind === 'gmem' && p.features.write && p.variants.write !== 'NONE' && (p.variants.flagBit2 !== 'WRITE' || ino.writeFlag);

/** The write() series adds .write_iter and .llseek to every gmem file (S8 kvm_gmem_fops). */
export const writeSeries = (p: Profile): boolean => p.features.write && p.variants.write !== 'NONE';

const CITE = 'FIO-29; kalyazin/linux 07a2ee4ca452 virt/kvm/guest_memfd.c kvm_gmem_write_begin, kvm_gmem_write_end, kvm_gmem_fops (.write_iter = generic_perform_write); mm/filemap.c generic_perform_write (per-chunk loop, partial count, the do-while that runs once for 0 bytes), v7.2';

/** FIO-29 names the per-chunk loop (short counts, the zero-length call); the decision is pwritePopulate's. */
export const fio29 = fact('FIO-29', CITE);
/** FIO-15: the population itself (a written page is up to date with the bytes written). */
export const fio15Fact = fact('FIO-15', 'FIO-15; S23 v6, S8 kvm_gmem_write_begin/write_end (the folio is written and marked up to date)');

/** Why a chunk starting at page `pg` is refused by write_begin, or undefined when it is written. */
type Refusal = 'EINVAL' | 'EEXIST' | 'PRIVATE';
const refusal = (p: Profile, ino: Inode, pos: bigint, chunk: bigint): Refusal | undefined => {
  if (pos + chunk > ino.sizeBytes) return 'EINVAL';
  if (!aligned(pos) || !aligned(chunk)) return 'EINVAL';
  const pg = Number(pos >> 12n);
  if (pos < ino.sizeBytes && firstPrivate(p, ino, pg, pg + 1) !== undefined) return 'PRIVATE';
  if (ino.noDirectMap && p.variants.write === 'ONCE' && imFind(ino.folios, pg, pg + 1, (f) => f?.dmapGone === true) !== undefined) return 'EEXIST';
  return undefined;
};

/** The state after `pages` whole pages from page `a` were written (value in every byte). */
const written = (s: SpecState, ino: Inode, a: number, pages: number, value: number, pos: bigint | undefined): SpecState => {
  // The folio ends up written and up to date; with NO_DIRECT_MAP its direct map is zapped in write_end.
  const f = folio(true, ino.noDirectMap);
  return withInode(s, {
    ...ino, folios: imUpdate(ino.folios, a, a + pages, () => f), data: writeSpan(ino.data, a, 0, pages * PAGE, value),
    pos: pos ?? ino.pos,
  });
};

/** A refusal as the call's outcome (nothing written before it). */
const refused = (s: SpecState, r: Refusal): Decision =>
  r === 'PRIVATE'
    ? cases([[err('EINVAL'), () => s], [err('EPERM'), () => s]], 'FIO-15: the errno for writing a private page is not pinned down (S8)')
    : only(s, err(r), r === 'EEXIST' ? [dmap6, fio29] : [fio29]);

/**
 * A zero-length write()/pwrite(): vfs_write has no zero check and generic_perform_write's loop
 * runs once with 0 bytes, so write_begin judges the position (ENODEV, EINVAL, EEXIST as for a
 * chunk) and, when it passes, takes the folio at the position; write_end then marks it up to date
 * (zapping its direct map under NO_DIRECT_MAP) and the zero-byte fault-in makes the call EFAULT.
 * That is the tree at 07a2ee4ca452; a zero check (as readv/writev have in vfs_writev) gives 0 with
 * nothing touched, so both are allowed until the series settles it.
 */
const zeroLength = (c: FileCtx<'fileIo'>, pos: bigint): Decision => {
  const { p, s, ino } = c;
  const r = refusal(p, ino, pos, 0n);
  if (r !== undefined) return refused(s, r);
  const pg = Number(pos >> 12n);
  const populate = pos < ino.sizeBytes
    ? () => withInode(s, { ...ino, folios: imUpdate(ino.folios, pg, pg + 1, (f) => (f?.uptodate ? f : folio(true, ino.noDirectMap))) })
    : () => s; // the folio taken at i_size lies past EOF: nothing the spec's state can show
  return cases([[ok({ count: 0 }), () => s], [err('EFAULT'), populate]],
    'FIO-29: a zero-length write runs write_begin/write_end once and fails the zero-byte fault-in (EFAULT) at 07a2ee4ca452; a zero check would give 0',
    [fio29]);
};

/**
 * pwrite at op.offset, or write at the file position (which then advances by the count). Each
 * page-sized chunk: no WRITE support → ENODEV (always the first chunk), past EOF or not a whole
 * aligned page → EINVAL, a folio whose direct map is gone (ONCE) → EEXIST.
 */
export const pwritePopulate = (c: FileCtx<'fileIo'>): Decision => {
  const { p, s, op, ino } = c;
  const pos = op.call === 'write' ? ino.pos : op.offset;
  if (!writeEnabled(p, ino)) return only(s, err('ENODEV'));
  if (op.len === 0) return zeroLength(c, pos);
  const len = BigInt(op.len);
  let done = 0n;
  let stop: Refusal | undefined;
  while (done < len) {
    const at = pos + done;
    const chunk = (len - done < BigInt(PAGE) - (at & 0xfffn)) ? len - done : BigInt(PAGE) - (at & 0xfffn);
    stop = refusal(p, ino, at, chunk);
    if (stop !== undefined) break;
    done += chunk;
  }
  if (done === 0n) return refused(s, stop!);
  const pages = Number(done >> 12n);
  const out: Outcome = ok({ count: Number(done) });
  const also = [fio15Fact, ...(ino.noDirectMap ? [dmap6] : [])];
  return andThen(out, () => written(s, ino, Number(pos >> 12n), pages, op.value, op.call === 'write' ? pos + done : undefined), also);
};
