/**
 * The emulator's kernel-side access paths, futexes and O_DIRECT (MAP-9, MAP-31..35, DMAP-20), each
 * against the outcome worked out by hand from the kernel source (not from the spec).
 */
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../../spec/profiles/index.js';
import { GMEM_FLAG, err, ok, type Op } from '../../../spec/vocab/index.js';
import { gmem, LINUX_618, load, MI, mmap, P, run, store, vm } from './_fixtures.js';

type Call = Extract<Op, { kind: 'kernelAccess' }>['call'];
const ka = (call: Call, offset: bigint, len: number, value = 9, map = 0): Op => ({ kind: 'kernelAccess', map, offset, len, call, value });
const futex = (op: Extract<Op, { kind: 'futex' }>['op'], offset: bigint, value = 0): Op => ({ kind: 'futex', map: 0, offset, op, value });
const dio = (offset: bigint, len: number, write: boolean, value = 5): Op => ({ kind: 'directIo', map: 0, offset, len, write, value });
const NDM = resolveProfile('no-direct-map-v12');
const shared2 = [vm(), gmem(0, 2n * P, MI), mmap(0, 0, 4n * P)];

describe('emulator: kernel-side access paths', () => {
  it('byte-counting paths stop at EOF exactly; pipes count whole buffers', async () => {
    const out = await run(LINUX_618, [...shared2, ka('pvm_local_read', 100n, 3 * 4096, 7), ka('pipe_read_into', 100n, 3 * 4096, 8),
      load(0, 8191n), ka('proc_mem_read', 2n * P, 1), ka('vmsplice', 0n, 3 * 4096)]);
    expect(out.slice(3)).toEqual([ok({ count: 8092, first: 7 }), ok({ count: 4096, first: 8 }), ok({ value: 8 }), err('EIO'), ok({ count: 8192, first: 0 })]);
  });

  it('FOLL_FORCE: PROT_NONE reads work, read-only shared writes fail (EIO)', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), mmap(0, 0, P, 0n, 1), ka('proc_mem_write', 0n, 8), ka('process_vm_writev', 0n, 8),
      { kind: 'mprotect', map: 0, prot: 0n }, ka('proc_mem_read', 0n, 8), ka('process_vm_readv', 0n, 8)]);
    expect(out.slice(3)).toEqual([err('EIO'), err('EFAULT'), ok(), ok({ count: 8, first: 0 }), err('EFAULT')]);
  });

  it('NO_DIRECT_MAP refuses GUP only (DMAP-20)', async () => {
    const out = await run(NDM, [vm(), gmem(0, 4n * P, MI | GMEM_FLAG.BIT2), mmap(), ka('process_vm_writev', 0n, 4), ka('vmsplice', 0n, 4),
      ka('pipe_read_into', 0n, 4, 3), ka('pvm_local_write', 0n, 4), store(0, 0n, 1)]);
    expect(out.slice(3)).toEqual([err('EFAULT'), err('EFAULT'), ok({ count: 4, first: 3 }), ok({ count: 4, first: 3 }), ok()]);
  });
});

describe('emulator: futex and O_DIRECT', () => {
  it('futex: a shared key on a read-only COW copy of a private mapping is EFAULT (obs:FX-07)', async () => {
    const out = await run(LINUX_618, [{ kind: 'createMemfd', id: 0, size: P }, mmap(0, 0, P, 0n, 3, false), futex('WAIT', 0n, 0),
      ka('process_vm_writev', 1n, 1, 0), { kind: 'mprotect', map: 0, prot: 1n }, futex('WAIT', 0n, 0)]);
    expect(out.slice(2)).toEqual([err('ETIMEDOUT'), ok({ count: 1, first: 0 }), ok(), err('EFAULT')]);
  });

  it('futex: ENOSYS, alignment, shared keys by GUP, private wake touching nothing', async () => {
    const out = await run(LINUX_618, [vm(), gmem(0, 4n * P, GMEM_FLAG.MMAP), mmap(), futex('CMD_14', 0n), futex('WAKE', 1n),
      futex('WAKE', 0n), futex('WAIT_PRIVATE', 0n), futex('WAKE_PRIVATE', 0n)]);
    expect(out.slice(3)).toEqual([err('ENOSYS'), err('EINVAL'), err('EFAULT'), err('EFAULT'), ok({ woken: 0 })]);
    const sh = await run(LINUX_618, [...shared2, store(0, 0n, 0x42), futex('WAIT', 0n, 0x42), futex('WAIT', 0n, 0x43), futex('WAKE', 4n * P)]);
    expect(sh.slice(4)).toEqual([err('ETIMEDOUT'), err('EAGAIN'), err('EFAULT')]);
  });

  it('O_DIRECT: DMA stops at the first unpinnable page (EFAULT, prefix written); misaligned buffers and lengths are refused', async () => {
    const out = await run(LINUX_618, [...shared2, dio(0n, 8192, false, 5), dio(0n, 12288, false, 6), load(0, 4097n), dio(100n, 512, true),
      dio(1n, 512, true), dio(1n, 8192, false), dio(0n, 100, false), dio(2n * P, 4096, false)]);
    expect(out.slice(3)).toEqual([ok({ count: 8192, first: 5 }), err('EFAULT'), ok({ value: 6 }), ok({ count: 512, first: 6 }),
      err('EINVAL'), err('EFAULT'), err('EINVAL'), err('EFAULT')]);
  });
});

describe('emulator: a hole punch under a private mapping\'s copy', () => {
  it('the copy survives a punch (mm/shmem.c: unmap_mapping_range with even_cows = 0), not a truncate', async () => {
    const uffd: Op[] = [{ kind: 'uffdCreate', id: 0, features: 0n }, { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 2n * P, mode: 1n }];
    const copy = (fill: number): Op => ({ kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill });
    const out = await run(LINUX_618, [{ kind: 'createMemfd', id: 0, size: 2n * P }, mmap(0, 0, 2n * P, 0n, 3, false), store(0, 0n, 7),
      { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 2n * P }, load(0, 0n), ...uffd, copy(3),
      { kind: 'ftruncate', fd: 0, size: 0n }, { kind: 'ftruncate', fd: 0, size: 2n * P }, copy(4)]);
    expect(out.slice(3)).toEqual([ok(), ok({ value: 7 }), ok(), ok(), err('EEXIST'), ok(), ok(), ok({ count: 4096 })]);
  });
});

describe('emulator: pins', () => {
  const pin = (how: 'IO_URING' | 'VMSPLICE', offset: bigint, length: bigint, id = 0, map = 0): Op => ({ kind: 'pin', map, offset, length, how, id });
  const rd = (pin: number, offset: bigint, len: number): Op => ({ kind: 'pinRead', pin, offset, len });

  it('holds the folio: a store shows through, a punch leaves the old bytes; vmsplice reads from the head', async () => {
    const out = await run(LINUX_618, [...shared2, store(0, 0n, 7), pin('IO_URING', 0n, 2n * P), store(0, 1n, 9), rd(0, 1n, 1),
      { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P }, store(0, 0n, 3), rd(0, 0n, 1), load(0, 0n), rd(0, 8191n, 2),
      pin('VMSPLICE', 100n, 3n * P, 1), rd(1, 0n, 8000), rd(1, 0n, 8000), rd(1, 0n, 1), rd(1, 5n, 1), { kind: 'unpin', pin: 0 }, rd(0, 0n, 1)]);
    expect(out.slice(3)).toEqual([ok(), ok({ count: 8192 }), ok(), ok({ count: 1, first: 9 }), ok(), ok(), ok({ count: 1, first: 7 }), ok({ value: 3 }), err('EFAULT'),
      ok({ count: 8092 }), ok({ count: 8000, first: 0 }), ok({ count: 92, first: 0 }), err('EAGAIN'), err('ESPIPE'), ok(), err('EBADF')]);
  });

  it('all or nothing for io_uring; the 6.18 cap; conversion refused while pinned (conversion-v8)', async () => {
    const out = await run(LINUX_618, [...shared2, pin('IO_URING', 0n, 3n * P), pin('IO_URING', 0n, 1n << 40n, 1), pin('IO_URING', 0n, 1n << 63n, 2)]);
    expect(out.slice(3)).toEqual([err('EFAULT'), err('EFAULT'), err('EINVAL')]);
    const cv8 = resolveProfile('conversion-v8');
    const conv = (toPrivate: boolean): Op => ({ kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len: 2n * P, toPrivate, errorOffsetIn: 0n });
    const c = await run(cv8, [vm(0, 1), gmem(0, 2n * P, MI), mmap(0, 0, 2n * P), pin('IO_URING', P, P), conv(true), load(0, 0n), { kind: 'unpin', pin: 0 }, conv(true)]);
    expect(c.slice(4)).toEqual([{ kind: 'errno', errno: 'EAGAIN', errorOffset: P }, ok({ value: 0 }), ok(), ok()]);
  });
});

describe('emulator: PAGEOUT on shmem unmaps (obs:MM-A-02)', () => {
  it('a MINOR-registered page is a userfault after PAGEOUT; the data stays', async () => {
    const out = await run(LINUX_618, [{ kind: 'createMemfd', id: 0, size: P }, { kind: 'uffdCreate', id: 0, features: 0n },
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true }, store(0, 0n, 7),
      { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 4n }, { kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'PAGEOUT' }, load(0, 0n)]);
    expect(out[6]).toMatchObject({ kind: 'uffd', event: { minor: true, offset: 0n } });
  });
});
