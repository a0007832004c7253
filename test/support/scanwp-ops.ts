/**
 * The PAGEMAP_SCAN write-protect scenario of UFD-21 (docs/kernel-surface.md rows I03, J06), shared by
 * the emulator and native tests: an 8-page file mapped shared, two pages written, a WP_ASYNC
 * uffd registered WP over it; scans with CHECK_WPASYNC and WP_MATCHING re-protect what they
 * report, stores clear the bit with no event, max_pages and vec_len 0 bound the protection.
 */
import { PAGE_IS, PM_SCAN_FLAG, UFFD_FEATURE, UFFD_MODE, type Op } from '../../spec/vocab/index.js';
import { scan } from './procobs-ops.js';

const P = 4096n;
const W = PAGE_IS.WRITTEN;
const st = (offset: bigint): Op => ({ kind: 'store', map: 0, offset, value: 7, onUserfault: 'COPY', fill: 1 });

/** The ops after the file (fd 0, 8 pages) exists. */
export const scanWpOps = (): Op[] => [
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true },
  { kind: 'uffdCreate', id: 0, features: UFFD_FEATURE.WP_ASYNC },
  st(0n), st(P),
  { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 8n * P, mode: UFFD_MODE.WP },
  /* 5 */ scan(), scan({ flags: PM_SCAN_FLAG.CHECK_WPASYNC }),
  /* 7 */ scan({ flags: PM_SCAN_FLAG.WP_MATCHING | PM_SCAN_FLAG.CHECK_WPASYNC, categoryMask: W }),
  /* 8 */ scan(),
  /* 9 */ st(P), scan(),
  /* 11 */ st(3n * P), scan({ flags: PM_SCAN_FLAG.WP_MATCHING, categoryMask: W, returnMask: W, maxPages: 1n }),
  /* 13 */ scan(),
  /* 14 */ st(0n), scan({ flags: PM_SCAN_FLAG.WP_MATCHING, returnMask: 0n, vecLen: 0n }),
  /* 16 */ scan(), scan({ offset: 4n * P }),
  /* 18 */ { kind: 'uffdWriteProtect', uffd: 0, map: 0, offset: 0n, length: 8n * P, mode: 0n }, scan(),
];

/** What each step of scanWpOps answers (memfd on 6.18.44; categories: 0xf WPALLOWED|WRITTEN|FILE|PRESENT, 0xd protected, 0x11 a uffd-wp marker). */
export const SCANWP_EXPECT: Readonly<Record<number, string>> = {
  5: 'ok {regions:[[0x0,0x2000,15],[0x2000,0x4000,3]], walkEnd:0x4000}',
  6: 'ok {regions:[[0x0,0x2000,15],[0x2000,0x4000,3]], walkEnd:0x4000}',
  7: 'ok {regions:[[0x0,0x2000,15],[0x2000,0x4000,3]], walkEnd:0x4000}',
  8: 'ok {regions:[[0x0,0x2000,13],[0x2000,0x4000,17]], walkEnd:0x4000}',
  10: 'ok {regions:[[0x0,0x1000,13],[0x1000,0x2000,15],[0x2000,0x4000,17]], walkEnd:0x4000}',
  12: 'ok {regions:[[0x1000,0x2000,2]], walkEnd:0x3000}',
  13: 'ok {regions:[[0x0,0x2000,13],[0x2000,0x3000,17],[0x3000,0x4000,15]], walkEnd:0x4000}',
  15: 'ok {regions:[], walkEnd:0x4000}',
  16: 'ok {regions:[[0x0,0x2000,13],[0x2000,0x3000,17],[0x3000,0x4000,13]], walkEnd:0x4000}',
  17: 'ok {regions:[[0x4000,0x8000,3]], walkEnd:0x8000}',
  19: 'ok {regions:[[0x0,0x2000,15],[0x2000,0x3000,3],[0x3000,0x4000,15]], walkEnd:0x4000}',
};
