/**
 * The memfd scenario of copyRange (docs/probe-records/linux-6.18.44-nogmem-convcopy.md, CCR-01..06):
 * the native target runs it on this host, the spec and the emulator answer it under
 * linux-6.18-nogmem, and the loads at the end read back the copied bytes byte by byte.
 */
import type { Op } from '../../spec/vocab/index.js';

const P = 4096n;
const LLONG_MAX = (1n << 63n) - 1n;
export const cr = (src: number, dst: number, srcOff: bigint, dstOff: bigint, len: number, flags = 0): Op =>
  ({ kind: 'copyRange', src, dst, srcOff, dstOff, len, flags });
const pwrite = (fd: number, offset: bigint, len: number, value: number): Op => ({ kind: 'fileIo', fd, call: 'pwrite', offset, len, value });
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });

export const copyRangeScenario = (): Op[] => [
  // A (fd 0): 8192 bytes, 7s at [0, 100), 9s at [4000, 4200) across the page boundary. B (fd 1)
  // empty, C (fd 2) three pages of holes, D (fd 3) empty.
  { kind: 'createMemfd', id: 0, size: 2n * P }, pwrite(0, 0n, 100, 7), pwrite(0, 4000n, 200, 9),
  { kind: 'createMemfd', id: 1, size: 0n }, { kind: 'createMemfd', id: 2, size: 3n * P }, { kind: 'createMemfd', id: 3, size: 0n },
  // CCR-01: within A, disjoint (100 → 4096 over the 9s), adjacent, cut at EOF (92).
  cr(0, 0, 0n, 4096n, 100), cr(0, 0, 0n, 100n, 100), cr(0, 0, 8100n, 8000n, 1000),
  // CCR-02: overlapping ranges in one file, before and after the EOF cut; both NULL (one position).
  cr(0, 0, 0n, 1n, 2), cr(0, 0, 1n, 0n, 2), cr(0, 0, 8000n, 8100n, 1000), cr(0, 0, -1n, -1n, 50),
  // CCR-03: the count cut to 0 comes before the overlap check; a zero length.
  cr(0, 1, 2n * P, 0n, 10), cr(0, 0, 2n * P, 2n * P, 10), cr(0, 0, 0n, 0n, 0),
  // CCR-04: A → B unaligned across pages; holes of C → D; NULL offsets use and move the positions.
  cr(0, 1, 3990n, 10000n, 4096), cr(2, 3, 0n, 0n, 8192), { kind: 'fstat', fd: 1 }, { kind: 'fstat', fd: 3 },
  { kind: 'fileIo', fd: 0, call: 'lseek', offset: 100n, len: 0, value: 0 }, { kind: 'fileIo', fd: 1, call: 'lseek', offset: 5n, len: 0, value: 0 },
  cr(0, 1, -1n, -1n, 50), { kind: 'fdInfo', fd: 0 }, { kind: 'fdInfo', fd: 1 },
  // CCR-05: flags; negative, wrapping and s_maxbytes offsets on either side.
  cr(0, 1, 0n, 0n, 1, 1), cr(0, 1, 0n, -2n, 1), cr(0, 1, 0n, -P, 8192), cr(0, 1, 9000n, -2n, 1), cr(0, 1, 0n, LLONG_MAX, 1),
  cr(0, 2, 0n, LLONG_MAX - 1n, 10), cr(0, 1, -2n, 0n, 1), cr(0, 0, -2n, 0n, 1), cr(0, 1, -P, 0n, 8192), cr(0, 1, -(1n << 63n), 0n, 1),
  cr(0, 0, 9000n, LLONG_MAX, 1), { kind: 'fstat', fd: 2 },
  // CCR-07: C is now LLONG_MAX long; a write O_APPEND sends to its EOF meets s_maxbytes there (EFBIG),
  // one just below it is cut short (a disagreement the first native run of copyRange found).
  { kind: 'fcntl', fd: 2, cmd: 'F_SETFL', arg: 0o2000n }, pwrite(2, 0n, 4096, 1), { kind: 'fileIo', fd: 2, call: 'write', offset: 0n, len: 10, value: 1 },
  { kind: 'fileIoV', fd: 2, call: 'pwritev2', offset: 0n, len: 10, iovcnt: 1, rwf: 0, value: 1 },
  { kind: 'fcntl', fd: 2, cmd: 'F_SETFL', arg: 0n }, { kind: 'ftruncate', fd: 2, size: LLONG_MAX - 5n }, { kind: 'fcntl', fd: 2, cmd: 'F_SETFL', arg: 0o2000n },
  pwrite(2, 0n, 4096, 1), { kind: 'fstat', fd: 2 },
  // CCR-06: O_APPEND on the output is EBADF, on the input harmless, after the flags; dead fds.
  { kind: 'fcntl', fd: 1, cmd: 'F_SETFL', arg: 0o2000n }, cr(0, 1, 0n, 0n, 1), cr(1, 0, 0n, 0n, 1), cr(0, 1, 0n, 0n, 1, 1),
  { kind: 'close', fd: 3 }, cr(3, 0, 0n, 0n, 1, 1), cr(0, 3, 0n, 0n, 1, 1), cr(0, 0, 0n, 4096n, 0, 2 ** 31),
  // The bytes: A through a shared mapping, B from its page 2 (file offset 8192).
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 2n * P, prot: 3n, shared: true },
  load(0, 0n), load(0, 1n), load(0, 99n), load(0, 100n), load(0, 199n), load(0, 200n), load(0, 3999n), load(0, 4000n), load(0, 4095n),
  load(0, 4096n), load(0, 4195n), load(0, 4196n), load(0, 4199n), load(0, 4200n), load(0, 8000n), load(0, 8091n), load(0, 8092n),
  { kind: 'mmap', fd: 1, id: 1, offset: 2n * P, length: 2n * P, prot: 3n, shared: true },
  // B[10000 + i] = A[3990 + i] as A was then: 0 for i < 10, 9 for 10..209, 0 after.
  load(1, 10000n - 8192n + 9n), load(1, 10000n - 8192n + 10n), load(1, 10000n - 8192n + 209n), load(1, 10000n - 8192n + 210n), load(1, 10000n - 8192n + 4095n),
];
