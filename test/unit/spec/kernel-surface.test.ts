/**
 * The wider kernel surface (issue 15) in the spec: the 64-bit words (ENV-10, MAP-19, POL-21,
 * GEN-MPOL-MAXNODE), the kernel-side access paths (MAP-9, MAP-31, MAP-33, MAP-34, DMAP-20),
 * futexes (MAP-35) and O_DIRECT (MAP-32), on gmem under the presets and on memfd.
 */
import { describe, expect, it } from 'vitest';
import { driver, P } from './helpers.js';
import { linux618, linux618NoGmem, resolveProfile, withVariant } from '../../../spec/profiles/index.js';
import { err, ok, type Op, type Profile } from '../../../spec/vocab/index.js';

type Call = Extract<Op, { kind: 'kernelAccess' }>['call'];
const ka = (call: Call, offset: bigint, len: number, value = 9, map = 0): Op => ({ kind: 'kernelAccess', map, offset, len, call, value });
const load = (map: number, offset: bigint): Op => ({ kind: 'load', map, offset, onUserfault: 'COPY', fill: 0 });
const store = (map: number, offset: bigint, value: number): Op => ({ kind: 'store', map, offset, value, onUserfault: 'COPY', fill: 0 });
const mmap = (id: number, length: bigint, prot = 3n, shared = true, fd = 0): Op => ({ kind: 'mmap', fd, id, offset: 0n, length, prot, shared });
const futex = (op: Extract<Op, { kind: 'futex' }>['op'], offset: bigint, value = 0, map = 0): Op => ({ kind: 'futex', map, offset, op, value });
const dio = (offset: bigint, len: number, write: boolean, value = 5): Op => ({ kind: 'directIo', map: 0, offset, len, write, value });

/** A gmem file of `pages` pages with `flags`, mapped over `mapPages` pages. */
const gmemMapped = (p: Profile, flags: bigint, pages = 2n, mapPages = 4n, prot = 3n) => {
  const d = driver(p);
  d.one({ kind: 'createVm', id: 0, type: 0n });
  d.one({ kind: 'createGmem', vm: 0, id: 0, size: pages * P, flags, reserved: [] });
  d.one(mmap(0, mapPages * P, prot));
  return d;
};
const memfdMapped = (pages = 2n, mapPages = 4n) => {
  const d = driver(linux618);
  d.one({ kind: 'createMemfd', id: 0, size: pages * P });
  d.one(mmap(0, mapPages * P));
  return d;
};

describe('64-bit words', () => {
  it('ENV-10: a capability or VM type with bits from 31/32 up names nothing', () => {
    const d = driver(linux618);
    expect(d.one({ kind: 'createVm', id: 0, type: 1n << 32n })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'createVm', id: 0, type: 0n })).toEqual(ok());
    expect(d.one({ kind: 'checkExtension', vm: null, cap: 10n })).toEqual(ok(32764));
    expect(d.one({ kind: 'checkExtension', vm: 0, cap: 10n | (1n << 32n) })).toEqual(ok(0));
    expect(d.one({ kind: 'checkExtension', vm: null, cap: 1n << 63n })).toEqual(ok(0));
    expect(d.do({ kind: 'checkExtension', vm: null, cap: 10n | (1n << 32n) }).rules[0]).toBe('ENV-10');
  });

  it('MAP-19: mmap ignores unknown prot bits, mprotect refuses them; PROT_SEM is accepted', () => {
    const d = memfdMapped();
    d.one(mmap(1, P, 3n | 8n | (1n << 32n) | (1n << 63n)));
    expect(d.one(store(1, 0n, 1))).toEqual(ok());
    expect(d.one({ kind: 'mprotect', map: 1, prot: 1n | 8n })).toEqual(ok());
    expect(d.one({ kind: 'mprotect', map: 1, prot: 3n | (1n << 32n) })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'mprotect', map: 1, prot: 3n | 0x01000000n })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'mprotect', map: 1, prot: 0x03000000n })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'mprotect', map: 9, prot: 0x03000000n })).toEqual(err('ENOMEM'));
  });

  it('POL-21 / GEN-MPOL-MAXNODE: mbind keeps the low 32 bits of its mode; bit 63 of the mask is never read', () => {
    const d = memfdMapped();
    const mb = (mode: bigint, nodes: bigint, offset = 0n): Op => ({ kind: 'mbind', map: 0, offset, length: P, mode, nodes, flags: 0 });
    expect(d.one(mb(2n | (1n << 32n), 1n))).toEqual(ok());
    expect(d.one({ kind: 'getMempolicy', map: 0, offset: 0n, query: 'ADDR' })).toEqual(ok({ mode: 2, nodes: 1n }));
    expect(d.one(mb(2n | (1n << 31n), 1n))).toEqual(err('EINVAL'));
    expect(d.one(mb(2n, 1n << 63n, P))).toEqual(err('EINVAL'));
    expect(d.one(mb(2n | (1n << 15n), 1n | (1n << 62n) | (1n << 63n), P))).toEqual(ok());
    expect(d.one({ kind: 'getMempolicy', map: 0, offset: P, query: 'ADDR' })).toEqual(ok({ mode: 2 | (1 << 15), nodes: 1n | (1n << 62n) }));
  });

  it('uffd features and registration modes are __u64: bits 32 and 63 are unknown (UFD-11)', () => {
    const d = memfdMapped();
    expect(d.one({ kind: 'uffdCreate', id: 0, features: 1n << 32n })).toEqual(err('EINVAL'));
    expect(d.one({ kind: 'uffdCreate', id: 0, features: 0n })).toEqual(ok());
    expect(d.one({ kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 1n | (1n << 63n) })).toEqual(err('EINVAL'));
  });

  it('ENV-1: a kernel without guest_memfd answers ENOTTY to its creation and EINVAL to the memslot flag', () => {
    const d = driver(linux618NoGmem);
    d.one({ kind: 'createVm', id: 0, type: 0n });
    expect(d.one({ kind: 'checkExtension', vm: null, cap: 234n })).toEqual(ok(0));
    expect(d.one({ kind: 'createGmem', vm: 0, id: 0, size: P, flags: 3n, reserved: [] })).toEqual(err('ENOTTY'));
    expect(d.one({ kind: 'createGmem', vm: 5, id: 0, size: P, flags: 3n, reserved: [] })).toEqual(err('EBADF'));
    expect(d.one({ kind: 'setMemoryRegion', vm: 0, v1: false, slot: 0, flags: 4, gpa: 0n, size: P, uaddr: { kind: 'null' }, gmem: { kind: 'notOpen' }, gmemOffset: 0n })).toEqual(err('EINVAL'));
  });
});

describe('kernel-side access paths (MAP-9, MAP-31, MAP-33, MAP-34)', () => {
  it('every path moves shared bytes and stops at EOF with a short count, exactly at the page', () => {
    for (const call of ['process_vm_readv', 'process_vm_writev', 'proc_mem_read', 'proc_mem_write', 'vmsplice', 'pvm_local_read', 'pvm_local_write'] as const) {
      const d = gmemMapped(linux618, 3n);
      const into = call === 'process_vm_writev' || call === 'proc_mem_write' || call === 'pvm_local_read';
      expect(d.one(ka(call, 100n, 3 * 4096)), call).toEqual(ok({ count: 2 * 4096 - 100, first: into ? 9 : 0 }));
      expect(d.one(ka(call, 2n * P, 16)), call).toEqual(err(call.startsWith('proc_mem') ? 'EIO' : 'EFAULT'));
    }
  });

  it('pipes count whole buffers; the failing buffer\'s head lands uncounted', () => {
    const d = gmemMapped(linux618, 3n);
    expect(d.one(ka('pipe_read_into', 100n, 3 * 4096, 7))).toEqual(ok({ count: 4096, first: 7 }));
    // Bytes 4196..8191 were written by the buffer that failed at page 2.
    expect(d.one(load(0, 8191n))).toEqual(ok({ value: 7 }));
    expect(d.one(ka('pipe_write_from', 4097n, 4096))).toEqual(err('EFAULT'));
    expect(d.one(ka('pipe_write_from', 0n, 2 * 4096))).toEqual(ok({ count: 8192, first: 0 }));
  });

  it('a private-only file refuses every path; /proc/self/mem answers EIO (MAP-31)', () => {
    const d = gmemMapped(linux618, 1n);
    for (const call of ['process_vm_readv', 'vmsplice', 'pipe_read_into', 'pvm_local_write'] as const) expect(d.one(ka(call, 0n, 16)), call).toEqual(err('EFAULT'));
    expect(d.one(ka('proc_mem_read', 0n, 16))).toEqual(err('EIO'));
  });

  it('MAP-31: FORCE reads PROT_NONE and writes COW; a read-only shared mapping refuses the write either way', () => {
    const d = gmemMapped(linux618, 3n, 2n, 2n, 1n);
    expect(d.one(ka('proc_mem_write', 0n, 16))).toEqual(err('EIO'));
    expect(d.one(ka('process_vm_writev', 0n, 16))).toEqual(err('EFAULT'));
    d.one({ kind: 'mprotect', map: 0, prot: 0n });
    // Without FOLL_FORCE (a proc_mem.force_override choice) the read would be refused too.
    expect(d.do(ka('proc_mem_read', 0n, 16)).allowed).toEqual([ok({ count: 16, first: 0 }), err('EIO')]);
    const m = memfdMapped();
    m.one(mmap(1, 2n * P, 1n, false));
    expect(m.do(ka('proc_mem_write', 0n, 16, 3, 1)).allowed).toContainEqual(ok({ count: 16, first: 3 }));
    m.do(ka('proc_mem_write', 0n, 16, 3, 1), ok({ count: 16, first: 3 }));
    expect(m.one(load(1, 0n))).toEqual(ok({ value: 3 }));
    expect(m.one(load(0, 0n))).toEqual(ok({ value: 0 }));
  });

  it('DMAP-20: NO_DIRECT_MAP refuses GUP but not user copies', () => {
    const ndm = resolveProfile('no-direct-map-v12');
    const d = gmemMapped(ndm, 7n);
    expect(d.one(ka('process_vm_readv', 0n, 16))).toEqual(err('EFAULT'));
    expect(d.one(ka('proc_mem_read', 0n, 16))).toEqual(err('EIO'));
    expect(d.one(ka('vmsplice', 0n, 16))).toEqual(err('EFAULT'));
    const v = d.do(ka('pvm_local_read', 0n, 16, 4));
    expect(v.allowed).toEqual([ok({ count: 16, first: 4 })]);
    expect(v.rules).toContain('DMAP-20');
    expect(d.one(ka('pipe_write_from', 0n, 16))).toEqual(ok({ count: 16, first: 4 }));
  });

  it('MAP-33: vmsplice takes at most the pages the pipe holds', () => {
    const d = memfdMapped(300n, 300n);
    expect(d.one(ka('vmsplice', 100n, 1 << 20))).toEqual(ok({ count: 256 * 4096 - 100, first: 0 }));
  });
});

describe('futex (MAP-35)', () => {
  it('a shared futex on a private mapping\'s COW copy made read-only is EFAULT (an anonymous page pinned for read only, obs:FX-07)', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: P });
    d.one(mmap(0, P, 3n, false));
    expect(d.one(futex('WAIT', 0n, 0))).toEqual(err('ETIMEDOUT'));
    d.one(ka('process_vm_writev', 1n, 1, 0));
    d.one({ kind: 'mprotect', map: 0, prot: 1n });
    expect(d.one(futex('WAIT', 0n, 0))).toEqual(err('EFAULT'));
    expect(d.one(futex('WAKE_PRIVATE', 0n, 0))).toEqual(ok({ woken: 0 }));
  });

  it('decodes the op, checks alignment, then keys shared futexes by GUP', () => {
    const d = gmemMapped(linux618, 3n);
    expect(d.one(futex('CMD_14', 0n))).toEqual(err('ENOSYS'));
    expect(d.one(futex('WAKE_CLOCK_REALTIME', 0n))).toEqual(err('ENOSYS'));
    expect(d.one(futex('WAKE_BIT31', 2n))).toEqual(err('ENOSYS'));
    expect(d.one(futex('WAKE', 2n))).toEqual(err('EINVAL'));
    expect(d.one(futex('WAIT', 0n, 1))).toEqual(err('EAGAIN'));
    expect(d.one(futex('WAIT', 0n, 0))).toEqual(err('ETIMEDOUT'));
    d.one(store(0, 4n, 0x11));
    expect(d.one(futex('WAIT_PRIVATE', 4n, 0x11))).toEqual(err('ETIMEDOUT'));
    expect(d.one(futex('WAKE', 2n * P))).toEqual(err('EFAULT'));
    expect(d.one(futex('WAKE_PRIVATE', 2n * P))).toEqual(ok({ woken: 0 }));
    expect(d.one(futex('WAKE_PRIVATE', 9n * P))).toEqual(ok({ woken: 0 }));
  });

  it('private-only gmem: shared keys and private waits fault, a private wake touches nothing', () => {
    const d = gmemMapped(linux618, 1n);
    expect(d.one(futex('WAKE', 0n))).toEqual(err('EFAULT'));
    expect(d.one(futex('WAIT_PRIVATE', 0n))).toEqual(err('EFAULT'));
    expect(d.one(futex('WAKE_PRIVATE', 0n))).toEqual(ok({ woken: 0 }));
    const n = gmemMapped(resolveProfile('no-direct-map-v12'), 7n);
    expect(n.one(futex('WAIT', 0n, 0))).toEqual(err('EFAULT'));
    expect(n.one(futex('WAIT_PRIVATE', 0n, 0))).toEqual(err('ETIMEDOUT'));
  });
});

describe('O_DIRECT (MAP-32)', () => {
  it('an aligned request pins; one cut short transfers its prefix and may report EFAULT', () => {
    const d = gmemMapped(linux618, 3n);
    expect(d.one(dio(0n, 8192, false, 5))).toEqual(ok({ count: 8192, first: 5 }));
    expect(d.do(dio(0n, 12288, false, 6)).allowed).toEqual([err('EFAULT'), ok({ count: 8192, first: 6 })]);
    d.do(dio(0n, 12288, false, 6), err('EFAULT'));
    expect(d.one(load(0, 4097n))).toEqual(ok({ value: 6 }));
    expect(d.one(dio(2n * P, 4096, true))).toEqual(err('EFAULT'));
    const p = gmemMapped(linux618, 1n);
    expect(p.one(dio(0n, 4096, false))).toEqual(err('EFAULT'));
  });

  it('a length off the logical block is EINVAL; a misaligned buffer is the device\'s choice; NO_DIRECT_MAP refuses', () => {
    const d = gmemMapped(linux618, 3n);
    expect(d.one(dio(0n, 50, false))).toEqual(err('EINVAL'));
    expect(d.do(dio(0n, 1024, false, 2)).allowed).toEqual([ok({ count: 1024, first: 2 }), err('EINVAL')]);
    expect(d.do(dio(1n, 4096, false, 3)).allowed).toEqual([ok({ count: 4096, first: 3 }), err('EINVAL')]);
    // A misaligned buffer cut short by a page it cannot pin: EFAULT (obs:DIO-05) or EINVAL (obs:DIO-06, DIO-07).
    expect(d.do(dio(1n, 8192, false, 3)).allowed).toEqual([err('EFAULT'), err('EINVAL')]);
    const n = gmemMapped(resolveProfile('no-direct-map-v12'), 7n);
    expect(n.one(dio(0n, 4096, false))).toEqual(err('EFAULT'));
  });

  it('P-DIO-ALIGN: a refused misaligned buffer was pinned first (PIN-FIRST, 6.18) or never touched (CHECK-FIRST, 7.2)', () => {
    const mincore = (d: ReturnType<typeof memfdMapped>) => d.one({ kind: 'mincore', map: 0, offset: 0n, pages: 2 });
    const pinFirst = memfdMapped(2n, 2n);
    pinFirst.do(dio(1n, 4096, false), err('EINVAL'));
    expect(mincore(pinFirst)).toEqual(ok([true, true]));
    const checkFirst = driver(withVariant(linux618, 'dioAlign', 'CHECK-FIRST'));
    checkFirst.one({ kind: 'createMemfd', id: 0, size: 2n * P });
    checkFirst.one(mmap(0, 2n * P));
    checkFirst.do(dio(1n, 4096, false), err('EINVAL'));
    expect(mincore(checkFirst)).toEqual(ok([false, false]));
    // Cut short: under CHECK-FIRST an EINVAL never follows a pin (bio_iov_iter_align_down answers EFAULT).
    const v = checkFirst.do(dio(1n, 12288, false));
    expect(v.allowed).toEqual([err('EINVAL'), err('EFAULT')]);
    checkFirst.do(dio(1n, 12288, false), err('EINVAL'));
    expect(mincore(checkFirst)).toEqual(ok([false, false]));
  });
});

describe('a hole punch and a private mapping\'s copies (found by the widened generator)', () => {
  it('a punch keeps the COW copy mapped (UFFDIO_COPY there: EEXIST); a truncate drops it (obs:SH-01)', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 2n * P });
    d.one(mmap(0, 2n * P, 3n, false));
    d.one(store(0, 0n, 7));
    expect(d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 2n * P })).toEqual(ok());
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 7 }));
    d.one({ kind: 'uffdCreate', id: 0, features: 0n });
    d.one({ kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 2n * P, mode: 1n });
    expect(d.one({ kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill: 3 })).toEqual(err('EEXIST'));
    d.one({ kind: 'ftruncate', fd: 0, size: 0n });
    d.one({ kind: 'ftruncate', fd: 0, size: 2n * P });
    expect(d.one({ kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill: 4 })).toEqual(ok({ count: 4096 }));
  });
});

describe('pins (MAP-33, MAP-36, MAP-37, SHR-21, SHR-22)', () => {
  const pin = (how: 'IO_URING' | 'VMSPLICE', offset: bigint, length: bigint, id = 0, map = 0): Op => ({ kind: 'pin', map, offset, length, how, id });
  const rd = (pin: number, offset: bigint, len: number): Op => ({ kind: 'pinRead', pin, offset, len });
  const conv = (toPrivate: boolean, offset = 0n, len = P): Op => ({ kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset, len, toPrivate, errorOffsetIn: 0n });

  it('io_uring: all pages or none; the page is held, not the offset; a punch leaves the pin its bytes', () => {
    const d = gmemMapped(linux618, 3n);
    d.one(store(0, 0n, 7));
    expect(d.one(pin('IO_URING', 0n, 3n * P, 0))).toEqual(err('EFAULT'));
    expect(d.one(rd(0, 0n, 1))).toEqual(err('EBADF'));
    expect(d.one(pin('IO_URING', 0n, 2n * P, 1))).toEqual(ok({ count: 8192 }));
    d.one(store(0, 1n, 9));
    expect(d.one(rd(1, 1n, 1))).toEqual(ok({ count: 1, first: 9 }));
    d.one({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P });
    d.one(store(0, 0n, 3));
    expect(d.one(rd(1, 0n, 2))).toEqual(ok({ count: 2, first: 7 }));
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 3 }));
    expect(d.one(rd(1, 8191n, 2))).toEqual(err('EFAULT'));
    expect(d.one({ kind: 'unpin', pin: 1 })).toEqual(ok());
    expect(d.one({ kind: 'unpin', pin: 1 })).toEqual(err('EBADF'));
  });

  it('io_uring argument checks: the 6.18 and the 7.2 caps (P-IOURING-BUFMAX), a negative ssize_t, a read-only mapping', () => {
    const old = gmemMapped(linux618, 3n);
    expect(old.one(pin('IO_URING', 0n, 0n))).toEqual(err('EFAULT'));
    expect(old.one(pin('IO_URING', 0n, 1n << 40n))).toEqual(err('EFAULT'));
    expect(old.one(pin('IO_URING', 0n, (1n << 40n) + 1n))).toEqual(err('EFAULT'));
    expect(old.one(pin('IO_URING', 0n, 1n << 63n))).toEqual(err('EINVAL'));
    const up = gmemMapped(resolveProfile('upstream'), 3n);
    expect(up.one(pin('IO_URING', 0n, 1n << 40n))).toEqual(err('EOVERFLOW'));
    expect(up.one(pin('IO_URING', 0n, (1n << 40n) + 1n))).toEqual(err('EINVAL'));
    expect(up.do(pin('IO_URING', 0n, 1n << 33n)).allowed).toEqual([err('EFAULT'), err('ENOMEM')]);
    const ro = gmemMapped(linux618, 3n, 2n, 4n, 1n);
    expect(ro.one(pin('IO_URING', 0n, P))).toEqual(err('EFAULT'));
    expect(ro.one(pin('VMSPLICE', 0n, P, 1))).toEqual(ok({ count: 4096 }));
    const priv = gmemMapped(linux618, 1n);
    expect(priv.one(pin('IO_URING', 0n, P))).toEqual(err('EFAULT'));
    expect(priv.one(pin('VMSPLICE', 0n, P, 1))).toEqual(err('EFAULT'));
  });

  it('vmsplice: up to EOF, read from the head, what is read is gone', () => {
    const d = memfdMapped();
    d.one(store(0, 0n, 7));
    expect(d.one(pin('VMSPLICE', 100n, 3n * P))).toEqual(ok({ count: 8092 }));
    d.one(store(0, 100n, 8));
    expect(d.one(rd(0, 1n, 1))).toEqual(err('ESPIPE'));
    expect(d.one(rd(0, 1n << 63n, 1))).toEqual(err('EINVAL'));
    expect(d.one(rd(0, 0n, 8000))).toEqual(ok({ count: 8000, first: 8 }));
    expect(d.one(rd(0, 0n, 8000))).toEqual(ok({ count: 92, first: 0 }));
    expect(d.one(rd(0, 0n, 1))).toEqual(err('EAGAIN'));
    expect(d.one(pin('VMSPLICE', 0n, 0n, 1))).toEqual(ok({ count: 0 }));
    expect(d.one(rd(1, 0n, 1))).toEqual(err('EAGAIN'));
  });

  it('a private mapping: io_uring pins the copies (which outlive munmap), vmsplice the pages mapped', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 2n * P });
    d.one(mmap(0, 2n * P, 3n, false));
    d.one(store(0, 0n, 7));
    d.one(pin('IO_URING', 0n, P, 0));
    d.one(pin('VMSPLICE', P, P, 1));
    d.one(store(0, P, 4));
    d.one(store(0, 0n, 5));
    expect(d.one(rd(0, 0n, 1))).toEqual(ok({ count: 1, first: 5 }));
    expect(d.one(rd(1, 0n, 1))).toEqual(ok({ count: 1, first: 0 }));
    d.one({ kind: 'munmap', map: 0 });
    expect(d.one(rd(0, 0n, 1))).toEqual(ok({ count: 1, first: 5 }));
  });

  it('SHR-21/SHR-22: to-private over a pinned page is EAGAIN at its offset, PTEs gone; after unpin it converts', () => {
    const cv8 = resolveProfile('conversion-v8');
    const d = driver(cv8);
    d.one({ kind: 'createVm', id: 0, type: 1n });
    d.one({ kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: 3n, reserved: [] });
    d.one(mmap(0, 4n * P));
    d.one(store(0, 2n * P, 5));
    d.one(pin('VMSPLICE', 2n * P, P));
    expect(d.one(conv(true, 0n, 4n * P))).toEqual({ kind: 'errno', errno: 'EAGAIN', errorOffset: 2n * P });
    expect(d.one(load(0, 2n * P))).toEqual(ok({ value: 5 }));
    expect(d.one(conv(false, 0n, 4n * P))).toEqual(ok());
    d.one({ kind: 'unpin', pin: 0 });
    expect(d.one(conv(true, 0n, 4n * P))).toEqual(ok());
    const prefix = driver(resolveProfile('conversion-v8/P-CONV-ATOMIC=PREFIX-CONVERTED'));
    prefix.one({ kind: 'createVm', id: 0, type: 1n });
    prefix.one({ kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: 3n, reserved: [] });
    prefix.one(mmap(0, 4n * P));
    prefix.one(pin('IO_URING', 2n * P, P));
    expect(prefix.one(conv(true, 0n, 4n * P))).toEqual({ kind: 'errno', errno: 'EAGAIN', errorOffset: 2n * P });
    expect(prefix.one(load(0, 0n))).toEqual({ kind: 'signal', signal: 'SIGBUS', code: 'BUS_ADRERR', offset: 0n });
    const block = driver(resolveProfile('conversion-v8/P-CONV-PINS=BLOCK'));
    block.one({ kind: 'createVm', id: 0, type: 1n });
    block.one({ kind: 'createGmem', vm: 0, id: 0, size: P, flags: 3n, reserved: [] });
    block.one(mmap(0, P));
    block.one(store(0, 0n, 6));
    block.one(pin('IO_URING', 0n, P));
    expect(block.one(conv(true))).toEqual(ok());
    expect(block.one(rd(0, 0n, 1))).toEqual(ok({ count: 1, first: 6 }));
  });
});

describe('found by the widened native run on memfd (obs:FX-06, obs:DIO-06)', () => {
  it('MAP-35: a shared futex on a private copy under PROT_READ is EFAULT; on the file\'s page it keys by inode', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: P });
    d.one(mmap(0, P, 3n, false));
    expect(d.one(futex('WAIT', 0n))).toEqual(err('ETIMEDOUT'));
    d.one({ kind: 'mprotect', map: 0, prot: 1n });
    expect(d.one(futex('WAIT', 0n))).toEqual(err('EFAULT'));
    expect(d.one(futex('WAKE', 0n))).toEqual(err('EFAULT'));
    expect(d.one(futex('WAIT_PRIVATE', 0n))).toEqual(err('ETIMEDOUT'));
    d.one(mmap(1, P, 1n, false));
    expect(d.one(futex('WAIT', 0n, 0, 1))).toEqual(err('ETIMEDOUT'));
  });

  it('MAP-32: a misaligned buffer cut short after a prefix is EFAULT or EINVAL', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 3n * P });
    d.one({ kind: 'mmap', fd: 0, id: 0, offset: P, length: 4n * P, prot: 3n, shared: true });
    expect(d.do(dio(1n, 8192, false)).allowed).toEqual(expect.arrayContaining([err('EFAULT'), err('EINVAL')]));
  });
});

describe('mm calls on a gmem mapping (MAP-16, MAP-22, MAP-23, MAP-27, MAP-28)', () => {
  const madv = (advice: Extract<Op, { kind: 'madvise' }>['advice'], offset = 0n, length = 2n * P): Op => ({ kind: 'madvise', map: 0, offset, length, advice });
  const ml = (call: 'MLOCK' | 'MLOCK2' | 'MUNLOCK', offset: bigint, length: bigint, flags = 0): Op => ({ kind: 'mlock', map: 0, offset, length, call, flags });
  const ms = (flags: number, offset = 0n, length = 2n * P): Op => ({ kind: 'msync', map: 0, offset, length, flags });

  it('advice: FREE/WIPEONFORK EINVAL, advisory values 0 with the data kept, unknown values EINVAL first', () => {
    const d = gmemMapped(linux618, 3n);
    d.one(store(0, 0n, 7));
    expect(d.one(madv('FREE'))).toEqual(err('EINVAL'));
    expect(d.one(madv('WIPEONFORK'))).toEqual(err('EINVAL'));
    for (const a of ['COLD', 'PAGEOUT', 'WILLNEED', 'MERGEABLE', 'DONTFORK', 'KEEPONFORK'] as const) expect(d.one(madv(a))).toEqual(ok());
    expect(d.one(madv('PAGEOUT', 0n, 8n * P))).toEqual(err('ENOMEM'));
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 7 }));
    expect(d.one(madv('UNKNOWN_26', 0n, 0n))).toEqual(err('EINVAL'));
    expect(d.do(madv('UNKNOWN_BIT31')).rules[0]).toBe('GEN-MADVISE');
  });

  it('mlock: ENOMEM on private gmem (the VMA stays locked), MLOCK_ONFAULT 0; MS_INVALIDATE EBUSY; MS_SYNC EINVAL (no fsync)', () => {
    const d = gmemMapped(linux618, 1n);
    expect(d.one(ml('MLOCK', 0n, P))).toEqual(err('ENOMEM'));
    expect(d.one(ms(2))).toEqual(err('EBUSY'));
    expect(d.one(ml('MUNLOCK', 0n, 2n * P))).toEqual(ok());
    expect(d.one(ml('MLOCK2', 0n, 2n * P, 1))).toEqual(ok());
    expect(d.one(ml('MLOCK2', 0n, P, 2))).toEqual(err('EINVAL'));
    const s = gmemMapped(linux618, 3n);
    expect(s.one(ml('MLOCK', 0n, 2n * P))).toEqual(ok());
    expect(s.one(ms(4))).toEqual(err('EINVAL'));
    expect(s.one(ms(1))).toEqual(ok());
    expect(s.one(ms(2))).toEqual(err('EBUSY'));
    expect(s.one(ml('MLOCK', 0n, 4n * P))).toEqual(err('ENOMEM'));
  });

  it('MAP-28: an mlocked VMA refuses DONTNEED/REMOVE after the unlocked part before it was advised', () => {
    const d = gmemMapped(linux618, 3n);
    d.one(store(0, 0n, 7));
    d.one(store(0, P, 8));
    d.one(ml('MLOCK', P, P));
    expect(d.one(madv('REMOVE'))).toEqual(err('EINVAL'));
    expect(d.one(load(0, 0n))).toEqual(ok({ value: 0 }));
    expect(d.one(load(0, P))).toEqual(ok({ value: 8 }));
    expect(d.one(madv('DONTNEED_LOCKED'))).toEqual(ok());
    expect(d.one(madv('COLD', P, P))).toEqual(err('EINVAL'));
  });
});

describe('found by the 1 M-op native run (mm calls)', () => {
  it('MAP-28: REMOVE over an unlocked private VMA and a locked one is EACCES (the first VMA answers first)', () => {
    const d = driver(linux618);
    d.one({ kind: 'createMemfd', id: 0, size: 2n * P });
    d.one(mmap(0, 2n * P, 3n, false));
    d.one({ kind: 'mlock', map: 0, offset: P, length: P, call: 'MLOCK', flags: 0 });
    expect(d.one({ kind: 'madvise', map: 0, offset: 0n, length: 2n * P, advice: 'REMOVE' })).toEqual(err('EACCES'));
    expect(d.one({ kind: 'madvise', map: 0, offset: P, length: P, advice: 'REMOVE' })).toEqual(err('EINVAL'));
  });
});
