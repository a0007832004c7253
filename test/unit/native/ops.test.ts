/**
 * Spot checks: each op kind reaches the real kernel and comes back with the outcome measured on
 * 6.18.44 + kvm_pvm (docs/probe-records/linux-6.18.44-pvm.md). These pin the adapter's plumbing (struct layouts, ioctl
 * numbers, errno mapping), not the spec. The guest_memfd checks need a kernel that has it; the
 * plumbing shared with memfd (dead handles, ranges past a mapping, scratch buffers) runs on memfd
 * wherever the addon and /dev/kvm work.
 */
import { expect, it } from 'vitest';
import { err, ok } from '../../../spec/vocab/index.js';
import type { Op, SlotFd } from '../../../spec/vocab/index.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { TargetBrokenError } from '../../../spec/vocab/errors.js';
import { describeGmem, describeNative, gmem, last, load, map, memfd, runOps, store, vm0 } from './_support.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const fio = (call: 'read' | 'write' | 'pread' | 'pwrite' | 'lseek' | 'fsync'): Op =>
  ({ kind: 'fileIo', fd: 0, call, offset: 0n, len: 16, value: 1 });

describeNative('native plumbing on memfd (no guest_memfd needed)', () => {
  it('mincore past a mapping into the hole a munmapped neighbour left is ENOMEM (no scratch buffer lands there)', async () => {
    // The kernel puts a new mapping in the highest gap that fits: a 1-page hole next to the map
    // under test. The addon's scratch buffers come from preallocated slabs, so nothing appears there.
    expect(await last([memfd(0, 4096n), map(0, 0, 4096n), map(1, 0, 4096n), map(2, 0, 8192n), { kind: 'munmap', map: 1 },
      { kind: 'mincore', map: 2, offset: 0n, pages: 3 }])).toEqual(err('ENOMEM'));
  });

  it('fileIo on a memfd counts bytes and lseek reports the offset', async () => {
    const out = await runOps([{ kind: 'createMemfd', id: 0, size: 2n * P }, fio('pwrite'), fio('pread'),
      { kind: 'fileIo', fd: 0, call: 'lseek', offset: 100n, len: 0, value: 0 }]);
    expect(out.slice(1)).toEqual([ok({ count: 16 }), ok({ count: 16 }), ok({ offset: 100n })]);
  });

  it('dead map handles follow the README conventions', async () => {
    const out = await runOps([memfd(0, P), map(0, 0, P), { kind: 'munmap', map: 0 }, { kind: 'munmap', map: 0 },
      load(0, 0n), store(0, 3n, 1), { kind: 'mprotect', map: 0, prot: 1n },
      { kind: 'mbind', map: 0, offset: 0n, length: P, mode: 2n, nodes: 1n, flags: 0 },
      { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR' }, load(5, 0n)]);
    const segv = (offset: bigint) => ({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset });
    expect(out.slice(2)).toEqual([ok(), ok(), segv(0n), segv(3n), err('ENOMEM'), err('EFAULT'), err('EFAULT'), segv(0n)]);
  });

  // spec/vocab/CONVENTIONS.md: an op through a dead map handle is not issued; its answer is fixed
  // and comes before any argument check.
  it('dead-map ranged ops answer the CONVENTIONS.md values without a syscall', async () => {
    const out = await runOps([
      { kind: 'madvise', map: 0, offset: 0xfffn, length: 0n, advice: 'COLLAPSE' },
      { kind: 'mincore', map: 0, offset: 1n, pages: 5 },
      { kind: 'mbind', map: 0, offset: 0x5800n, length: 2n * P, mode: 2n, nodes: 1n, flags: 2 },
      { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR' },
      { kind: 'kernelAccess', map: 0, offset: 0n, len: 0, call: 'process_vm_readv', value: 0 },
      { kind: 'uffdCreate', id: 0, features: 0n },
      { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 1n },
      { kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill: 0 },
      { kind: 'mprotect', map: 0, prot: 99n },
      { kind: 'munmap', map: 0 },
    ]);
    const f = err('EFAULT');
    expect(out).toEqual([f, f, f, f, f, ok(), f, f, err('ENOMEM'), ok()]);
  });

  it('a range running past a mapping into a neighbour acts on its own pages only', async () => {
    // Two adjacent maps are likely (top-down allocation); DONTNEED over map 1's end must not
    // reach map 0, and the kernel's hole answer (ENOMEM) comes back.
    const out = await runOps([memfd(0, 4n * P), map(0, 0, 4n * P), map(1, 0, P), store(0, 0n, 5),
      { kind: 'madvise', map: 1, offset: 0n, length: 64n * P, advice: 'REMOVE' }, load(0, 0n),
      { kind: 'mbind', map: 1, offset: 0n, length: 64n * P, mode: 2n, nodes: 1n, flags: 0 },
      { kind: 'getMempolicy', map: 1, offset: 0n, query: 'ADDR' },
      { kind: 'kernelAccess', map: 1, offset: 0n, len: 3 * 4096, call: 'process_vm_writev', value: 1 }]);
    // REMOVE punched page 0 of the file through map 1 (shared data), then the hole: ENOMEM.
    expect(out.slice(4)).toEqual([err('ENOMEM'), ok({ value: 0 }), err('EFAULT'), ok({ mode: 0, nodes: 0n }), ok({ count: 4096, first: 1 })]);
  });

});

describeGmem('native ops on guest_memfd (6.18.44 spot checks)', () => {
  it('createGmem: flag bit 2 is EINVAL, all-ones reserved words are ignored', async () => {
    expect(await last([vm0, gmem(0, 2n * P, 4n)])).toEqual(err('EINVAL'));
    expect(await last([vm0, { kind: 'createGmem', vm: 0, id: 0, size: P, flags: 0n, reserved: Array(6).fill((1n << 64n) - 1n) }])).toEqual(ok());
    expect(await last([{ kind: 'createGmem', vm: 7, id: 0, size: P, flags: 0n, reserved: [] }])).toEqual(err('EBADF'));
  });

  it.each([
    ['read', 'EINVAL'], ['write', 'EINVAL'], ['pread', 'ESPIPE'], ['pwrite', 'ESPIPE'], ['lseek', 'ESPIPE'], ['fsync', 'EINVAL'],
  ] as const)('fileIo %s → %s', async (call, errno) => {
    expect(await last([vm0, gmem(0, 2n * P), fio(call)])).toEqual(err(errno));
  });

  it('fallocate: mode 0 EOPNOTSUPP, KEEP_SIZE ok, punch past EOF ok, ftruncate EINVAL', async () => {
    const out = await runOps([vm0, gmem(0, 2n * P),
      { kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: P },
      { kind: 'fallocate', fd: 0, mode: 1, offset: 0n, len: P },
      { kind: 'fallocate', fd: 0, mode: 3, offset: 1n << 40n, len: 1n << 40n },
      { kind: 'ftruncate', fd: 0, size: 2n * P }]);
    expect(out.slice(2)).toEqual([err('EOPNOTSUPP'), ok(), ok(), err('EINVAL')]);
  });

  it('fstat / fdFlags / dup / sameInode / close', async () => {
    const out = await runOps([vm0, gmem(0, 2n * P), { kind: 'fstat', fd: 0 }, { kind: 'fdFlags', fd: 0 },
      { kind: 'dup', fd: 0, id: 1 }, { kind: 'sameInode', fd: 0, other: 1 },
      { kind: 'createMemfd', id: 2, size: P }, { kind: 'sameInode', fd: 0, other: 2 },
      { kind: 'close', fd: 1 }, { kind: 'close', fd: 1 }, { kind: 'fstat', fd: 9 }]);
    expect(out.slice(2)).toEqual([
      ok({ size: 2n * P, blksize: 4096, mode: 0o100600 }), ok({ accmode: 'O_RDWR', cloexec: false }),
      ok(), ok(true), ok(), ok(false), ok(), err('EBADF'), err('EBADF'),
    ]);
  });

  it('mmap: no MMAP flag → ENODEV, MAP_PRIVATE → EINVAL, PROT_EXEC mprotect → EACCES', async () => {
    expect(await last([vm0, gmem(0, P, 0n), map(0, 0, P)])).toEqual(err('ENODEV'));
    expect(await last([vm0, gmem(0, P), map(0, 0, P, 3, false)])).toEqual(err('EINVAL'));
    expect(await last([vm0, gmem(0, P), map(0, 0, P), { kind: 'mprotect', map: 0, prot: 7n }])).toEqual(err('EACCES'));
  });

  it('load/store/madvise/mincore/kernelAccess on INIT_SHARED memory', async () => {
    const out = await runOps([vm0, gmem(0, 2n * P), map(0, 0, 2n * P),
      { kind: 'mincore', map: 0, offset: 0n, pages: 2 }, store(0, 5n, 42), load(0, 5n),
      { kind: 'mincore', map: 0, offset: 0n, pages: 2 },
      { kind: 'kernelAccess', map: 0, offset: P, len: 8, call: 'process_vm_writev', value: 9 }, load(0, P + 7n),
      { kind: 'kernelAccess', map: 0, offset: 5n, len: 1, call: 'process_vm_readv', value: 0 },
      { kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'REMOVE' }, load(0, 5n),
      { kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'COLLAPSE' }]);
    expect(out.slice(3)).toEqual([
      ok([false, false]), ok(), ok({ value: 42 }), ok([true, false]), ok({ count: 8, first: 9 }), ok({ value: 9 }),
      ok({ count: 1, first: 42 }), ok(), ok({ value: 0 }), err('EINVAL'),
    ]);
  });

  it('memslots: bind ok, same gmem range again EINVAL, closed fd EBADF, v1 ignores gmem', async () => {
    const slot = (slot: number, gpa: bigint, gmemFd: SlotFd, v1 = false): Op => ({
      kind: 'setMemoryRegion', vm: 0, v1, slot, flags: v1 ? 0 : 4, gpa, size: P, uaddr: { kind: 'null' }, gmem: gmemFd, gmemOffset: 0n,
    });
    const out = await runOps([vm0, gmem(0, 2n * P), slot(0, 0n, { kind: 'fd', fd: 0 }), slot(1, 0x100000n, { kind: 'fd', fd: 0 }),
      slot(2, 0x200000n, { kind: 'notOpen' }), slot(3, 0x300000n, { kind: 'notOpen' }, true)]);
    expect(out.slice(2)).toEqual([ok(), err('EINVAL'), err('EBADF'), ok()]);
  });

  it('caps, VM types, memory attributes and conversion ioctls', async () => {
    const out = await runOps([vm0, { kind: 'checkExtension', vm: null, cap: 244n }, { kind: 'checkExtension', vm: 0, cap: 244n },
      { kind: 'checkExtension', vm: 0, cap: 233n }, { kind: 'createVm', id: 1, type: 1n },
      { kind: 'setMemoryAttributes', vm: 0, gpa: 0n, size: P, attributes: 8n }, gmem(0, P),
      { kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len: P, toPrivate: true, errorOffsetIn: 0n },
      { kind: 'convert', fd: 0, api: 'GMEM-CONVERT', offset: 0n, len: P, toPrivate: false, errorOffsetIn: 0n },
      { kind: 'closeVm', vm: 0 }, { kind: 'closeVm', vm: 0 }]);
    expect(out.slice(1)).toEqual([ok(3), ok(3), ok(0), err('EINVAL'), err('ENOTTY'), ok(), err('ENOTTY'), err('ENOTTY'), ok(), err('EBADF')]);
  });

  it('mempolicy is per VMA on 6.18; ADDR_NODE faults in shared pages, EFAULT on private-only', async () => {
    const out = await runOps([vm0, gmem(0, P), map(0, 0, P),
      { kind: 'mbind', map: 0, offset: 0n, length: P, mode: 2n, nodes: 1n, flags: 0 },
      { kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR' }, { kind: 'munmap', map: 0 }, map(1, 0, P),
      { kind: 'getMempolicy', map: 1, offset: 0n, query: 'ADDR' }, { kind: 'getMempolicy', map: 1, offset: 0n, query: 'ADDR_NODE' },
      gmem(1, P, 1n), map(2, 1, P), { kind: 'getMempolicy', map: 2, offset: 0n, query: 'ADDR_NODE' },
      { kind: 'setMempolicy', mode: 4, nodes: 0n }]);
    expect(out.slice(3)).toEqual([ok(), ok({ mode: 2, nodes: 1n }), ok(), ok(), ok({ mode: 0, nodes: 0n }), ok({ node: 0 }),
      ok(), ok(), err('EFAULT'), ok()]);
  });

  it('guest ops are unsupported here: a real guest reads userspace_addr (kvm_pvm), the level is never offered', async () => {
    const t = await createNativeTarget();
    try {
      const p = await t.probe();
      expect(Object.keys(p.unsupported).sort()).toEqual(['guestAccess', 'guestMapLevel']);
      // The guest-path probe ran a real guest; on kvm_pvm it sees the userspace_addr page (ENV-4).
      expect(p.behaviours.guestPath).toBe('UADDR');
      expect(p.unsupported.guestAccess).toMatch(/userspace_addr, never from guest_memfd/);
      expect(p.behaviours.bindOverlapErrno).toBe('EINVAL');
      expect(p.behaviours.uffdRegisterGmem).toBe('EINVAL');
      expect(p.behaviours.mbindSurvivesRemap).toBe(false);
      expect(p.vmTypes).toEqual([0]);
      await expect(t.apply({ kind: 'guestMapLevel', vm: 0, gpa: 0n })).rejects.toBeInstanceOf(TargetBrokenError);
    } finally {
      await t.close();
    }
  });
});
