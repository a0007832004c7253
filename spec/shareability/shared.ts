/**
 * Which file offsets the host may fault. 6.18 (SHR-0, MAP-5): fixed per file by INIT_SHARED.
 * Conversion series (SHR-2): explicit per-offset entries; a missing entry means the initial
 * state (P-ATTR-MISSING INITIAL) or private (P-ATTR-MISSING PRIVATE). memfd is always shared.
 */
import type { Profile } from '../vocab/index.js';
import type { Inode, Share } from '../state/types.js';
import { imFind } from '../state/imap.js';

const missingShare = (p: Profile, ino: Inode): Share =>
  p.features.conversion && p.variants.attrMissing === 'PRIVATE' ? 'private' : ino.initShared ? 'shared' : 'private';

const shareOf = (p: Profile, ino: Inode, v: Share | undefined): Share => v ?? missingShare(p, ino);

/** First private page in [a, b), or undefined. */
export const firstPrivate = (p: Profile, ino: Inode, a: number, b: number): number | undefined => {
  if (ino.kind === 'memfd' || a >= b) return undefined;
  return imFind(ino.attrs, a, b, (v) => shareOf(p, ino, v) === 'private');
};

export const isShared = (p: Profile, ino: Inode, page: number): boolean => firstPrivate(p, ino, page, page + 1) === undefined;
