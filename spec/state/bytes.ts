/**
 * Page contents. A file's data is an interval map from page index to PageBytes; an absent page
 * reads as zeroes (FIO-11: nothing exposes stale contents). PageBytes is itself an
 * interval map over the 4096 byte offsets of the page; absent bytes are 0 and UNKNOWN marks bytes
 * whose value the kernel leaves unspecified (SHR-8, P-CONV-CONTENT UNSPECIFIED).
 */
import { EMPTY, imGet, imOnly, imSet, type IMap } from './imap.js';
import { PAGE } from '../vocab/index.js';

export type PageBytes = IMap<number>;
export const UNKNOWN = -1;

/** Interned whole-page fills (index 256 = UNKNOWN), built once, never mutated. */
const FILLS: readonly PageBytes[] = Object.freeze(
  Array.from({ length: 257 }, (_, i) => imSet(EMPTY as PageBytes, 0, PAGE, i === 256 ? UNKNOWN : i)),
);
/** The interned all-`value` page, so that equal whole-page fills merge into one run. */
export const fillPage = (value: number): PageBytes | undefined =>
  value === 0 ? undefined : FILLS[value === UNKNOWN ? 256 : value & 0xff];

export const byteOf = (data: IMap<PageBytes>, page: number, off: number): number => {
  const p = imGet(data, page);
  return p === undefined ? 0 : (imGet(p, off) ?? 0);
};

/** Write bytes [from, to) of one page with value; returns the new data map. */
export const writeBytes = (data: IMap<PageBytes>, page: number, from: number, to: number, value: number): IMap<PageBytes> => {
  if (from === 0 && to === PAGE) return imSet(data, page, page + 1, fillPage(value));
  const old = imGet(data, page) ?? (EMPTY as PageBytes);
  let next = imSet(old, from, to, value === 0 ? undefined : value & 0xff);
  const only = imOnly(next);
  // A page that is one whole-page run is the interned fill, so equal pages merge into one run.
  if (only !== undefined && only.s === 0 && only.e === PAGE) next = fillPage(only.v) ?? EMPTY;
  return imSet(data, page, page + 1, next === EMPTY ? undefined : next);
};

/**
 * Write `len` bytes of `value` starting at byte `start` of page `page0` (len may span pages).
 * Whole pages in the middle are written as one run.
 */
export const writeSpan = (data: IMap<PageBytes>, page0: number, start: number, len: number, value: number): IMap<PageBytes> => {
  let d = data;
  let page = page0;
  let off = start;
  let left = len;
  while (left > 0) {
    if (off === 0 && left >= PAGE) {
      const n = Math.floor(left / PAGE);
      d = imSet(d, page, page + n, fillPage(value));
      page += n;
      left -= n * PAGE;
      continue;
    }
    const take = Math.min(PAGE - off, left);
    d = writeBytes(d, page, off, off + take, value);
    left -= take;
    page++;
    off = 0;
  }
  return d;
};
