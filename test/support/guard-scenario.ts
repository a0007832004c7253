/** The MAP-30 scenario the native test runs on memfd and the emulator test replays (test/unit/native/guard.test.ts). */
import type { Op } from '../../spec/vocab/index.js';

const P = 4096n;
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const store = (map: number, offset: bigint, value = 5): Op => ({ kind: 'store', map, offset, value, onUserfault: 'COPY', fill: 0 });
const madv = (map: number, offset: bigint, length: bigint, advice: Extract<Op, { kind: 'madvise' }>['advice']): Op => ({ kind: 'madvise', map, offset, length, advice });

/** Install, every access path, punch, REMOVE, DONTNEED, truncation, mlock, remove: a 3-page memfd mapped shared and private over 4 pages. */
export const guardScenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 3n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true },
  { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4n * P, prot: 3n, shared: false },
  store(0, 0n, 7), store(0, P, 8), store(1, P, 9),
  // Install over a mapped page, a private copy and the page past EOF.
  madv(0, 0n, 4n * P, 'GUARD_INSTALL'), madv(1, P, P, 'GUARD_INSTALL'),
  load(0, 0n), store(0, 10n), load(0, 3n * P), store(1, P), load(1, P), load(1, 0n),
  { kind: 'kernelAccess', map: 0, offset: 0n, len: 16, call: 'process_vm_readv', value: 1 },
  { kind: 'kernelAccess', map: 0, offset: 0n, len: 16, call: 'proc_mem_read', value: 1 },
  { kind: 'kernelAccess', map: 0, offset: 100n, len: 16, call: 'pipe_write_from', value: 1 },
  { kind: 'kernelAccess', map: 1, offset: 0n, len: 8192, call: 'pvm_local_read', value: 1 },
  { kind: 'directIo', map: 0, offset: 0n, len: 4096, write: false, value: 3 },
  { kind: 'futex', map: 0, offset: 0n, op: 'WAKE', value: 0 },
  { kind: 'pin', id: 0, map: 1, offset: 0n, length: 2n * P, how: 'IO_URING' },
  madv(1, 0n, 2n * P, 'POPULATE_READ'),
  { kind: 'mincore', map: 0, offset: 0n, pages: 4 },
  // pagemap: a marker reads SWAP|GUARD_REGION; the private mapping's unmarked page is the file's.
  { kind: 'pagemap', map: 0, offset: 0n }, { kind: 'pagemap', map: 1, offset: P }, { kind: 'pagemap', map: 1, offset: 0n },
  // The markers survive a punch, MADV_REMOVE, DONTNEED and truncation.
  { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P },
  load(0, 0n),
  madv(0, P, P, 'REMOVE'), madv(0, 0n, 2n * P, 'DONTNEED'), load(0, P),
  { kind: 'ftruncate', fd: 0, size: P },
  load(0, 0n), load(0, 2n * P),
  { kind: 'mlock', map: 0, offset: 0n, length: P, call: 'MLOCK', flags: 0 },
  madv(0, 0n, P, 'GUARD_INSTALL'),
  madv(0, 0n, P, 'GUARD_REMOVE'),
  load(0, 0n),
  { kind: 'mlock', map: 0, offset: 0n, length: P, call: 'MUNLOCK', flags: 0 },
  madv(0, P, 3n * P, 'GUARD_REMOVE'), madv(1, 0n, 8n * P, 'GUARD_REMOVE'),
  { kind: 'ftruncate', fd: 0, size: 3n * P },
  load(0, P), load(0, 2n * P), store(0, 2n * P, 6), load(1, 2n * P), store(1, P, 4), load(1, P), load(0, 3n * P),
];

