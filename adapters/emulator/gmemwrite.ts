/**
 * Population by write()/pwrite() (FIO-15, PROP write() series) with the direct-map rules of
 * P-WRITE and P-DMAP-GRAN (DMAP-6): ONCE refuses a folio whose direct map is already gone (EEXIST),
 * MERMAP always writes through a kernel-private mapping.
 */
import { err, ok } from '../../spec/vocab/index.js';
import type { Outcome } from '../../spec/vocab/index.js';
import type { Kernel } from './kernel.js';
import type { Inode } from './state.js';
import { aligned, asLoff, P } from './i64.js';
import { grab, lookup, noDirectMap } from './pagecache.js';
import { hostShared } from './share.js';

export const writeSeries = (k: Kernel): boolean => k.profile.features.write && k.profile.variants.write !== 'NONE';

export const gmemWrite = (k: Kernel, inode: Inode, offset: bigint, len: number, value: number, advance: boolean): Outcome => {
  if (k.profile.variants.flagBit2 === 'WRITE' && (inode.flags & 4n) === 0n) return err('ENODEV');
  const off = asLoff(offset);
  const n = BigInt(len);
  if (off < 0n || !aligned(off) || !aligned(n)) return err('EINVAL');
  if (off + n > inode.size) return err('EINVAL');
  const first = Number(off / P);
  const pages = len / 4096;
  for (let i = 0; i < pages; i += 1) {
    const page = first + i;
    const refusal = refuse(k, inode, page);
    if (refusal) return i === 0 ? err(refusal) : done(inode, advance, off, BigInt(i) * P);
    const folio = grab(k, inode, page);
    folio.data = new Uint8Array(4096).fill(value & 0xff);
    folio.uptodate = true;
    if (noDirectMap(k, inode) && !k.bug('dmap-restored-after-write')) folio.dmapRemoved = true;
  }
  return done(inode, advance, off, n);
};

const refuse = (k: Kernel, inode: Inode, page: number): 'EINVAL' | 'EEXIST' | null => {
  if (!hostShared(k, inode, page)) return 'EINVAL';
  if (k.profile.variants.write !== 'ONCE') return null;
  const folio = inode.folios.has(page) || inode.alloc.has(page) ? lookup(k, inode, page) : undefined;
  return folio?.dmapRemoved ? 'EEXIST' : null;
};

const done = (inode: Inode, advance: boolean, off: bigint, n: bigint): Outcome => {
  if (advance) inode.pos = off + n;
  return ok({ count: Number(n) });
};
