/**
 * pwrite population (FIO-15, PROP write() series) and its interaction with direct-map removal
 * (DMAP-6, P-WRITE): ONCE refuses folios whose direct map is already gone with EEXIST; MERMAP
 * always writes through a temporary kernel mapping.
 */
import { PAGE, err, ok, type Profile } from '../vocab/index.js';
import { cases, only, andThen } from '../rule.js';
import { dmap6 } from '../directmap/rules.js';
import { aligned, type FileCtx } from '../ctx.js';
import type { Inode } from '../state/types.js';
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

/**
 * pwrite at op.offset, or write at the file position (which then advances). S8 write_begin
 * order: no WRITE support → ENODEV, past EOF → EINVAL, unaligned → EINVAL; then 0 bytes → 0.
 */
export const pwritePopulate = (c: FileCtx<'fileIo'>) => {
  const { p, s, op, ino } = c;
  const pos = op.call === 'write' ? ino.pos : op.offset;
  if (!writeEnabled(p, ino)) return only(s, err('ENODEV'));
  const len = BigInt(op.len);
  if (!aligned(pos) || !aligned(len) || pos + len > ino.sizeBytes) return only(s, err('EINVAL'));
  // generic_perform_write calls write_begin once even for 0 bytes, so the checks above still apply.
  if (op.len === 0) return only(s, ok({ count: 0 }));
  const a = Number(pos >> 12n);
  const b = a + op.len / PAGE;
  if (firstPrivate(p, ino, a, b) !== undefined) {
    return cases([[err('EINVAL'), () => s], [err('EPERM'), () => s]], 'FIO-15: the errno for writing a private page is not pinned down (S8)');
  }
  if (ino.noDirectMap && p.variants.write === 'ONCE' && imFind(ino.folios, a, b, (f) => f?.dmapGone === true) !== undefined) {
    return only(s, err('EEXIST'), [dmap6]);
  }
  // The folio ends up written and up to date; with NO_DIRECT_MAP its direct map is zapped after write_end.
  const f = folio(true, ino.noDirectMap);
  return andThen(ok({ count: op.len }), () =>
    withInode(s, {
      ...ino, folios: imUpdate(ino.folios, a, b, () => f), data: writeSpan(ino.data, a, 0, op.len, op.value),
      pos: op.call === 'write' ? pos + len : ino.pos,
    }),
    ino.noDirectMap ? [dmap6] : undefined);
};
