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

export const pwritePopulate = (c: FileCtx<'fileIo'>) => {
  const { p, s, op, ino } = c;
  if (!writeEnabled(p, ino)) return only(s, err('ENODEV'));
  const len = BigInt(op.len);
  if (!aligned(op.offset) || !aligned(len) || op.offset + len > ino.sizeBytes) return only(s, err('EINVAL'));
  if (op.len === 0) return only(s, ok({ count: 0 }));
  const a = Number(op.offset >> 12n);
  const b = a + op.len / PAGE;
  if (firstPrivate(p, ino, a, b) !== undefined) {
    return cases([[err('EINVAL'), () => s], [err('EPERM'), () => s]], 'FIO-15: the errno for writing a private page is not pinned down (S8)', s);
  }
  if (ino.noDirectMap && p.variants.write === 'ONCE' && imFind(ino.folios, a, b, (f) => f?.dmapGone === true) !== undefined) {
    return only(s, err('EEXIST'), [dmap6]);
  }
  // The folio ends up written and up to date; with NO_DIRECT_MAP its direct map is zapped after write_end.
  const f = folio(true, ino.noDirectMap);
  return andThen(ok({ count: op.len }), () =>
    withInode(s, { ...ino, folios: imUpdate(ino.folios, a, b, () => f), data: writeSpan(ino.data, a, 0, op.len, op.value) }),
    ino.noDirectMap ? [dmap6] : undefined);
};
