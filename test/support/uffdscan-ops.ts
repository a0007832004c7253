/**
 * The UFFDIO_POISON scenario (UFD-22) on memfd, shared by the native test (this kernel) and the
 * emulator test (the modelled kernel): both judged by the spec, step by step.
 */
import { UFFD_MODE } from '../../spec/vocab/index.js';
import type { Op } from '../../spec/vocab/index.js';
import { ld, madv, st } from '../unit/native/_support.js';

const P = 4096n;
const poison = (map: number, offset: bigint, length: bigint, mode = 0n): Op => ({ kind: 'uffdPoison', uffd: 0, map, offset, length, mode });
const pm = (map: number, offset: bigint): Op => ({ kind: 'pagemap', map, offset });
const kacc = (call: 'process_vm_readv' | 'proc_mem_read' | 'pipe_read_into'): Op => ({ kind: 'kernelAccess', map: 0, offset: 0n, len: 16, call, value: 9 });

export const poisonScenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 8n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true },
  { kind: 'fileIo', fd: 0, call: 'pwrite', offset: 2n * P, len: 1, value: 1 },
  st(0, 2n * P, 3),
  { kind: 'uffdCreate', id: 0, features: 0n },
  // 5: unregistered → ENOENT; register MISSING; mode bits, unaligned and empty ranges → EINVAL.
  poison(0, 0n, P), { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 8n * P, mode: UFFD_MODE.MISSING },
  poison(0, 0n, P, 2n), poison(0, 0n, P, 1n << 63n), poison(0, 1n, P), poison(0, 0n, 0n),
  // 11: poison page 0; again → EEXIST; over the mapped page 2 → EEXIST; pages 1..3 → EAGAIN (page 1 done).
  poison(0, 0n, P), poison(0, 0n, P), poison(0, 2n * P, P), poison(0, P, 3n * P, 1n),
  // 15: the marker: pagemap SWAP; load and store SIGBUS; kernel accesses fail; populate EHWPOISON; mlock ENOMEM.
  pm(0, 0n), pm(0, P), ld(0, 0n), st(0, 8n, 5), kacc('process_vm_readv'), kacc('proc_mem_read'), kacc('pipe_read_into'),
  madv(0, 0n, P, 'POPULATE_READ'), { kind: 'mlock', map: 0, offset: 0n, length: P, call: 'MLOCK', flags: 0 },
  // 24: a punch keeps it; DONTNEED drops it from page 1; a COPY replaces it on page 0.
  { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P }, pm(0, 0n), ld(0, 0n),
  madv(0, P, P, 'DONTNEED'), pm(0, P),
  { kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill: 4 }, pm(0, 0n), ld(0, 0n),
  // 32: past EOF → EFAULT.
  { kind: 'ftruncate', fd: 0, size: 6n * P }, poison(0, 6n * P, P),
];

