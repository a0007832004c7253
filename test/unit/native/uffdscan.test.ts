/**
 * UFFDIO_POISON on this machine's kernel (UFD-22), through the native target on memfd, each step
 * judged by the spec (linux-6.18-nogmem): the marker lands on an empty PTE and refuses a mapped
 * one (EEXIST), a range with a mapped page inside stops there (EAGAIN), past EOF is EFAULT, the
 * mode and the range are checked first; a poisoned page gives SIGBUS, fails every kernel access,
 * shows PM_SWAP in pagemap, survives a punch, and goes with MADV_DONTNEED or a COPY over it. The
 * gmem cases are the emulator's (no guest_memfd on this host).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { UFFD_MODE, err, ok } from '../../../spec/vocab/index.js';
import type { Op } from '../../../spec/vocab/index.js';
import { describeNative, ld, madv, runOps, specMismatches, st } from './_support.js';

const P = 4096n;
const poison = (map: number, offset: bigint, length: bigint, mode = 0n): Op => ({ kind: 'uffdPoison', uffd: 0, map, offset, length, mode });
const pm = (map: number, offset: bigint): Op => ({ kind: 'pagemap', map, offset });
const kacc = (call: 'process_vm_readv' | 'proc_mem_read' | 'pipe_read_into'): Op => ({ kind: 'kernelAccess', map: 0, offset: 0n, len: 16, call, value: 9 });

const scenario = (): Op[] => [
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

describeNative('UFFDIO_POISON on this kernel (memfd, judged by the spec)', () => {
  it('poison markers, their faults and their lifetime agree with linux-6.18-nogmem', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    // The kernel really did it.
    expect(observed[5]).toEqual(err('ENOENT'));
    expect(observed[7]).toEqual(err('EINVAL'));
    expect(observed[11]).toEqual(ok({ count: 4096 }));
    expect(observed[12]).toEqual(err('EEXIST'));
    expect(observed[14]).toEqual(err('EAGAIN'));
    expect(observed[15]).toEqual(ok({ present: false, swap: true, file: false, exclusive: false, uffdWp: false, guard: false }));
    expect(observed[17]).toMatchObject({ kind: 'signal', signal: 'SIGBUS', offset: 0n });
    expect(observed[22]).toEqual(err('EHWPOISON'));
    expect(observed[26]).toMatchObject({ kind: 'signal', signal: 'SIGBUS' });
    expect(observed[28]).toMatchObject({ kind: 'ok', value: { swap: false } });
    expect(observed[31]).toEqual(ok({ value: 4 }));
    expect(observed[33]).toEqual(err('EFAULT'));
  });
});
