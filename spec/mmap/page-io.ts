/**
 * The state side of a host access once the fault is resolved: fault a page in (allocate or mark
 * up to date, install the PTE) and read or write one byte through a mapping.
 */
import { withWp } from '../uffd/writeprotect.js';
import { EMPTY } from '../state/imap.js';
import { PAGE, ok, type Outcome, type Profile } from '../vocab/index.js';
import { imEach, imGet, imSet } from '../state/imap.js';
import { UNKNOWN, byteOf, writeBytes, fillPage, type PageBytes } from '../state/bytes.js';
import { folio } from '../state/folio.js';
import { withInode, withMap } from '../state/update.js';
import type { SpecState } from '../state/types.js';
import { goneAtUse } from '../directmap/rules.js';
import { faultAround } from './fault-around.js';

/** A private COW page of zeroes (an empty byte map that is still a value, unlike "no COW page"). */
const ZERO_PAGE: PageBytes = EMPTY;

/** All 256 byte values, for loads of bytes whose content is unspecified (SHR-8). */
const ANY_BYTE: readonly Outcome[] = Object.freeze(Array.from({ length: 256 }, (_, v) => ok({ value: v })));

/**
 * Fault file page fp in through mapping page mp: the folio becomes up to date (zeroed if it was
 * not, FIO-11), a NO_DIRECT_MAP folio loses its direct map (DMAP-3: at the first host fault under
 * FOLIO-LAZY, at insertion under MAPPING), and the PTE is installed. A read fault on shmem may
 * have mapped neighbours too (`read`: GEN-FAULT-AROUND, ./fault-around.ts).
 */
export const faultIn = (p: Profile, s: SpecState, mapId: number, mp: number, fp: number, read = false): SpecState => {
  const map = s.maps.get(mapId)!;
  const ino = s.inodes.get(map.inode)!;
  const f = imGet(ino.folios, fp);
  const want = folio(true, goneAtUse(ino) || (f?.dmapGone ?? false), f?.maybeLarge ?? false);
  let out = s;
  if (f !== want) {
    // A folio that was never up to date holds zeroes: drop any stale data (there is none, but be exact).
    const data = f?.uptodate === true ? ino.data : imSet(ino.data, fp, fp + 1, undefined);
    out = withInode(out, { ...ino, folios: imSet(ino.folios, fp, fp + 1, want), data });
  }
  if (imGet(map.ptes, mp) === undefined) out = withMap(out, mapId, { ...map, ptes: imSet(map.ptes, mp, mp + 1, true) });
  void p;
  return read ? faultAround(out, mapId, mp, mp + 1) : out;
};

/** Read the byte at (mp, off) of a mapping: a private COW copy wins over the page cache. */
export const readByte = (s: SpecState, mapId: number, mp: number, fp: number, off: number): number => {
  const map = s.maps.get(mapId)!;
  const cow = imGet(map.cow, mp);
  if (cow !== undefined) return imGet(cow, off) ?? 0;
  return byteOf(s.inodes.get(map.inode)!.data, fp, off);
};

/** Write one byte; a MAP_PRIVATE mapping copies the page first (GEN-SHMEM-MMAP). */
export const writeByte = (s: SpecState, mapId: number, mp: number, fp: number, off: number, value: number): SpecState => {
  const map = s.maps.get(mapId)!;
  if (!map.shared) {
    const ino = s.inodes.get(map.inode)!;
    // An all-zero private copy is the empty byte map (null), not "no copy": `??` would take the
    // file's current bytes for it (found by a native run on 6.18.44, memfd, seed 1334595597: a
    // MAP_POPULATE private copy of zeros, then a store through it, read back the file's later bytes).
    const have = imGet(map.cow, mp);
    const base = have !== undefined ? have : (imGet(ino.data, fp) ?? ZERO_PAGE);
    const bytes = imSet(base, off, off + 1, value === 0 ? undefined : value & 0xff);
    return withMap(s, mapId, { ...map, cow: imSet(map.cow, mp, mp + 1, bytes) });
  }
  const ino = s.inodes.get(map.inode)!;
  return withInode(s, { ...ino, data: writeBytes(ino.data, fp, off, off + 1, value) });
};

/**
 * Break COW for map pages [a, b) of a MAP_PRIVATE mapping (a write fault through GUP, e.g.
 * MADV_POPULATE_WRITE): each page without a private copy gets one of the current file contents.
 */
export const cowRange = (s: SpecState, mapId: number, a: number, b: number): SpecState => {
  const map = s.maps.get(mapId)!;
  if (map.shared || a >= b) return s;
  const data = s.inodes.get(map.inode)!.data;
  let cow = map.cow;
  imEach(map.cow, a, b, (x, y, have) => {
    if (have !== undefined) return;
    imEach(data, map.pgoff + x, map.pgoff + y, (fx, fy, v) => {
      cow = imSet(cow, fx - map.pgoff, fy - map.pgoff, v ?? ZERO_PAGE);
    });
  });
  return cow === map.cow ? s : withMap(s, mapId, { ...map, cow });
};

/**
 * Write `len` bytes of `value` at map byte `from` through a MAP_PRIVATE mapping: the pages are
 * COW-broken first, then written; whole pages in the middle are one range operation.
 */
export const cowWriteSpan = (s: SpecState, mapId: number, from: bigint, len: number, value: number): SpecState => {
  if (len <= 0) return s;
  const a = Number(from >> 12n);
  const end = from + BigInt(len);
  const b = Number((end + 4095n) >> 12n);
  const out = cowRange(s, mapId, a, b);
  const map = out.maps.get(mapId)!;
  let cow = map.cow;
  const v = value === 0 ? undefined : value === UNKNOWN ? UNKNOWN : value & 0xff;
  const head = Number(from & 4095n);
  const tail = Number(end - BigInt(b - 1) * 4096n);
  const part = (pg: number, x: number, y: number) => {
    cow = imSet(cow, pg, pg + 1, x === 0 && y === PAGE ? (fillPage(value) ?? ZERO_PAGE) : imSet(imGet(cow, pg) ?? ZERO_PAGE, x, y, v));
  };
  if (a === b - 1) part(a, head, tail);
  else {
    part(a, head, PAGE);
    if (b - 1 > a + 1) cow = imSet(cow, a + 1, b - 1, fillPage(value) ?? ZERO_PAGE);
    part(b - 1, 0, tail);
  }
  return withMap(out, mapId, { ...map, cow });
};

/** Fill a whole page of a mapping with `fill` (uffd COPY/ZEROPAGE): private mappings get a COW page. */
export const fillThrough = (s: SpecState, mapId: number, mp: number, fp: number, fill: number): SpecState => {
  const map = s.maps.get(mapId)!;
  if (!map.shared) {
    return withMap(s, mapId, withWp({ ...map, cow: imSet(map.cow, mp, mp + 1, fillPage(fill) ?? ZERO_PAGE), ptes: imSet(map.ptes, mp, mp + 1, true) }, mp, mp + 1, undefined));
  }
  const ino = s.inodes.get(map.inode)!;
  const next = withInode(s, { ...ino, folios: imSet(ino.folios, fp, fp + 1, folio(true, ino.noDirectMap)), data: imSet(ino.data, fp, fp + 1, fillPage(fill)) });
  // A resolve installs a fresh PTE without the uffd-wp bit (mfill_atomic_install_pte, no MODE_WP).
  return withMap(next, mapId, withWp({ ...map, ptes: imSet(map.ptes, mp, mp + 1, true) }, mp, mp + 1, undefined));
};

/** The outcomes and next state of the access itself, on a state where the page is present. */
export const perform = (
  s: SpecState, mapId: number, mp: number, fp: number, off: number, write: boolean, value: number,
): { readonly outs: readonly Outcome[]; readonly next: SpecState } => {
  if (write) return { outs: [ok()], next: writeByte(s, mapId, mp, fp, off, value) };
  const b = readByte(s, mapId, mp, fp, off);
  return { outs: b === UNKNOWN ? ANY_BYTE : [ok({ value: b })], next: s };
};
