/**
 * The behavioural probes that are op sequences, shared by every target that can run ops
 * synchronously on a scratch instance (the native target and the emulator). Both thereby answer
 * the same questions the same way: the emulator's answers are measured from its own behaviour, not
 * read off its profile, so deriving a profile from them tests the emulator too.
 */
import type { Op, OpKind, UserAddr } from './ops.js';
import type { Outcome } from './outcome.js';
import { GMEM_FLAG, MEM, MEMORY_ATTRIBUTE_PRIVATE, MPOL, PROT, UFFD_MODE } from './uapi.js';
import { PAGE_SIZE as P } from './handles.js';
import { undecided, type Behaviours, type OutcomeName, type Probed } from './probe.js';

/** The behaviours op sequences can decide; the rest (pre-fault, fstatfs, sysfs) each target fills. */
export type OpBehaviours = Omit<Behaviours, 'preFaultErrno' | 'fsMagic' | 'thp'>;

export const outcomeName = (o: Outcome): OutcomeName => (o.kind === 'ok' ? 'ok' : o.kind === 'errno' ? o.errno : o.kind);

const SHARED = GMEM_FLAG.MMAP | GMEM_FLAG.INIT_SHARED;
const RW = PROT.READ | PROT.WRITE;
const ZERO6 = [0n, 0n, 0n, 0n, 0n, 0n];
const ONES6 = ZERO6.map(() => (1n << 64n) - 1n);

/**
 * Runs every op probe on a fresh instance through `run` (which must not throw for kernel answers).
 * `unsupported` names op kinds the target cannot issue: probes needing them stay undecided.
 */
export const probeByOps = (run: (op: Op) => Outcome, unsupported: Readonly<Partial<Record<OpKind, string>>>): OpBehaviours => {
  const n = { fd: 0, map: 0 };
  const is = (op: Op): boolean => run(op).kind === 'ok';
  const gmem = (size: bigint, flags: bigint, reserved = ZERO6): number | undefined => {
    const id = n.fd++;
    return is({ kind: 'createGmem', vm: 0, id, size, flags, reserved }) ? id : undefined;
  };
  const mmap = (fd: number): number | undefined => {
    const id = n.map++;
    return is({ kind: 'mmap', fd, id, offset: 0n, length: P, prot: BigInt(RW), shared: true }) ? id : undefined;
  };
  const bind = (slot: number, gpa: bigint, size: bigint, fd: number, gmemOffset: bigint, uaddr: UserAddr = { kind: 'null' }): Outcome =>
    run({ kind: 'setMemoryRegion', vm: 0, v1: false, slot, flags: MEM.GUEST_MEMFD, gpa, size, uaddr, gmem: { kind: 'fd', fd }, gmemOffset });
  const named = (o: Outcome): OutcomeName => outcomeName(o);

  // io_uring's cap on a registered buffer, on a memfd mapping (no guest_memfd needed): nothing is pinned either way.
  // Issued after the gmem probes, so that fd handle 0 is their first guest_memfd (the native probe's
  // fstatfs reads it: P-FSMAGIC) and not this memfd.
  const iouringProbe = (): Probed<OutcomeName> => {
    const why = unsupported.pin;
    if (why !== undefined) return undecided(`pins cannot be issued: ${why}`);
    const mem = n.fd++;
    if (!is({ kind: 'createMemfd', id: mem, size: P })) return undecided('memfd_create failed');
    const m = mmap(mem);
    return m === undefined ? undecided('mmap of a memfd failed') : named(run({ kind: 'pin', map: m, offset: 0n, length: (1n << 40n) + 1n, how: 'IO_URING', id: 0 }));
  };
  // Where O_DIRECT checks a buffer off the DMA alignment (P-DIO-ALIGN), on a memfd mapping: byte 1
  // is off every device's alignment (the block layer's default is 512 bytes, NVMe's 4), so the read
  // is refused; whether its two pages were faulted in first shows in mincore.
  const dioProbe = (): Probed<boolean> => {
    const why = unsupported.directIo;
    if (why !== undefined) return undecided(`O_DIRECT cannot be issued: ${why}`);
    const mem = n.fd++;
    if (!is({ kind: 'createMemfd', id: mem, size: 2n * P })) return undecided('memfd_create failed');
    const m = n.map++;
    if (!is({ kind: 'mmap', fd: mem, id: m, offset: 0n, length: 2n * P, prot: BigInt(RW), shared: true })) return undecided('mmap of the memfd failed');
    const o = run({ kind: 'directIo', map: m, offset: 1n, len: Number(P), write: false, value: 0x5a });
    if (o.kind !== 'errno' || o.errno !== 'EINVAL') return undecided(`an O_DIRECT read at a buffer's byte 1 answered ${named(o)}`);
    const r = run({ kind: 'mincore', map: m, offset: 0n, pages: 2 });
    return r.kind === 'ok' && Array.isArray(r.value) ? (r.value as boolean[]).some((x) => x) : undecided(`mincore: ${named(r)}`);
  };
  const vm = run({ kind: 'createVm', id: 0, type: 0n });
  if (vm.kind !== 'ok') {
    const why = undecided(`KVM_CREATE_VM(0) failed: ${named(vm)}`);
    return {
      reservedIgnored: why, bindOverlapErrno: why, offsetSigned: why, mmapOnlyShared: why, mmapOnlyBindErrno: why, pwriteErrno: why, pwriteAgainErrno: why, gmemCloexec: why,
      memoryAttributesErrno: why, convertAttr2Errno: why, convertRfcErrno: why, mbindSurvivesRemap: why, polQueryTask: why,
      collapseErrno: why, uffdRegisterGmem: why, guestPath: why, iouringBufMaxErrno: iouringProbe(), shmemCopyEofErrno: why, dioMisalignedPins: dioProbe(),
    };
  }
  const a = gmem(2n * P, SHARED);
  const noGmem = undecided('KVM_CREATE_GUEST_MEMFD(MMAP|INIT_SHARED) failed');
  const onA = <T extends string | number | boolean>(f: (fd: number) => Probed<T>): Probed<T> => (a === undefined ? noGmem : f(a));

  // Only where a plain creation works can a refusal be blamed on the reserved words.
  const reservedIgnored = a === undefined ? noGmem : gmem(2n * P, 0n, ONES6) !== undefined;
  const gmemCloexec = onA((fd) => {
    const o = run({ kind: 'fdFlags', fd });
    const v = o.kind === 'ok' ? (o.value as { cloexec?: unknown } | undefined)?.cloexec : undefined;
    return typeof v === 'boolean' ? v : undecided(`fcntl: ${named(o)}`);
  });
  const pwriteErrno = onA((fd) => named(run({ kind: 'fileIo', fd, call: 'pwrite', offset: 0n, len: Number(P), value: 1 })));
  const pwriteAgainErrno = ((): Probed<OutcomeName> => {
    if (pwriteErrno !== 'ok') return undecided(`no write() population here (pwrite: ${typeof pwriteErrno === 'string' ? pwriteErrno : 'undecided'})`);
    const fd = gmem(P, SHARED | GMEM_FLAG.BIT2) ?? gmem(P, SHARED);
    if (fd === undefined) return undecided('KVM_CREATE_GUEST_MEMFD(MMAP|INIT_SHARED) failed');
    const first = run({ kind: 'fileIo', fd, call: 'pwrite', offset: 0n, len: Number(P), value: 1 });
    return first.kind === 'ok' ? named(run({ kind: 'fileIo', fd, call: 'pwrite', offset: 0n, len: Number(P), value: 2 })) : undecided(`the first pwrite answered ${named(first)}`);
  })();
  const bindOverlapErrno = onA((fd) => {
    const first = bind(0, 0n, P, fd, 0n);
    return first.kind === 'ok' ? named(bind(1, 0x100000n, P, fd, 0n)) : undecided(`the first bind failed: ${named(first)}`);
  });
  const offsetSigned = ((): Probed<boolean> => {
    const b = gmem(2n * P, 0n);
    if (b === undefined) return undecided('KVM_CREATE_GUEST_MEMFD(0) failed');
    const o = bind(2, 0x200000n, 2n * P, b, 0x7fff_ffff_ffff_e000n);
    return o.kind === 'ok' ? true : o.kind === 'errno' && o.errno === 'EINVAL' ? false : undecided(`the bind answered ${named(o)}`);
  })();
  const memoryAttributesErrno = named(run({ kind: 'setMemoryAttributes', vm: 0, gpa: 0n, size: P, attributes: MEMORY_ATTRIBUTE_PRIVATE }));
  const convertAttr2Errno = onA((fd) => named(run({ kind: 'convert', fd, api: 'GMEM-ATTR2', offset: 0n, len: P, toPrivate: true, errorOffsetIn: 0n })));
  const convertRfcErrno = onA((fd) => named(run({ kind: 'convert', fd, api: 'GMEM-CONVERT', offset: 0n, len: P, toPrivate: true, errorOffsetIn: 0n })));

  // Mempolicy scope: does a policy survive munmap + mmap of the same offsets?
  const c = gmem(P, SHARED);
  const m1 = c === undefined ? undefined : mmap(c);
  const mbindSurvivesRemap = ((): Probed<boolean> => {
    if (c === undefined || m1 === undefined) return undecided('no shared gmem mapping');
    const bound = run({ kind: 'mbind', map: m1, offset: 0n, length: P, mode: BigInt(MPOL.BIND), nodes: 1n, flags: 0 });
    if (bound.kind !== 'ok') return undecided(`mbind(MPOL_BIND) failed: ${named(bound)}`);
    run({ kind: 'munmap', map: m1 });
    const m2 = mmap(c);
    if (m2 === undefined) return undecided('the second mmap failed');
    const pol = run({ kind: 'getMempolicy', map: m2, offset: 0n, query: 'ADDR' });
    return pol.kind === 'ok' ? (pol.value as { mode: number }).mode !== MPOL.DEFAULT : undecided(`get_mempolicy: ${named(pol)}`);
  })();
  // A fresh file, so no inode policy from the probe above can answer for the task's.
  const polQueryTask = ((): Probed<boolean> => {
    const d = gmem(P, SHARED);
    const m = d === undefined ? undefined : mmap(d);
    if (m === undefined) return undecided('no shared gmem mapping');
    const set = run({ kind: 'setMempolicy', mode: MPOL.BIND, nodes: 1n });
    if (set.kind !== 'ok') return undecided(`set_mempolicy(MPOL_BIND) failed: ${named(set)}`);
    const pol = run({ kind: 'getMempolicy', map: m, offset: 0n, query: 'ADDR' });
    run({ kind: 'setMempolicy', mode: MPOL.DEFAULT, nodes: 0n });
    return pol.kind === 'ok' ? (pol.value as { mode: number }).mode === MPOL.BIND : undecided(`get_mempolicy: ${named(pol)}`);
  })();
  const m3 = c === undefined ? undefined : mmap(c);
  const collapseErrno = m3 === undefined ? undecided('no shared gmem mapping')
    : named(run({ kind: 'madvise', map: m3, offset: 0n, length: P, advice: 'COLLAPSE' }));
  const uffdRegisterGmem = m3 === undefined ? undecided('no shared gmem mapping')
    : run({ kind: 'uffdCreate', id: 0, features: 0n }).kind !== 'ok' ? undecided('userfaultfd() failed')
      : named(run({ kind: 'uffdRegister', uffd: 0, map: m3, offset: 0n, length: P, mode: UFFD_MODE.MISSING }));

  // Default shareability: can the host fault a page of a file created with MMAP alone?
  const mmapOnlyShared = ((): Probed<boolean> => {
    const e = gmem(P, GMEM_FLAG.MMAP);
    const m = e === undefined ? undefined : mmap(e);
    if (m === undefined) return undecided('no MMAP-only gmem mapping');
    const o = run({ kind: 'load', map: m, offset: 0n, onUserfault: 'COPY', fill: 0 });
    return o.kind === 'ok' ? true : o.kind === 'signal' && o.signal === 'SIGBUS' ? false : undecided(`the load answered ${named(o)}`);
  })();

  // A file made with MMAP but not INIT_SHARED, bound to a type-0 VM: usable by the guest, or refused?
  const mmapOnlyBindErrno = ((): Probed<OutcomeName> => {
    const f = gmem(P, GMEM_FLAG.MMAP);
    return f === undefined ? undecided('KVM_CREATE_GUEST_MEMFD(MMAP) failed') : named(bind(4, 0x600000n, P, f, 0n));
  })();

  // Guest path: a gmem slot whose userspace_addr holds other bytes; which does the guest read?
  const guestPath = ((): Probed<'GMEM' | 'UADDR'> => {
    const why = unsupported.guestAccess;
    if (why !== undefined) return undecided(`guest accesses cannot be issued: ${why}`);
    const mem = n.fd++;
    if (!is({ kind: 'createMemfd', id: mem, size: P })) return undecided('memfd_create failed');
    const um = mmap(mem);
    const g = gmem(P, SHARED);
    const gm = g === undefined ? undefined : mmap(g);
    if (um === undefined || g === undefined || gm === undefined) return undecided('no shared gmem and memfd mappings');
    run({ kind: 'store', map: um, offset: 0n, value: 0x22, onUserfault: 'COPY', fill: 0 });
    // Where INIT_SHARED means something else (P-DEFAULT-SHARE) the store may fault: gmem then holds 0.
    const inGmem = is({ kind: 'store', map: gm, offset: 0n, value: 0x11, onUserfault: 'COPY', fill: 0 }) ? 0x11 : 0;
    const slot = bind(3, 0x400000n, P, g, 0n, { kind: 'map', map: um, offset: 0n });
    if (slot.kind !== 'ok') return undecided(`the gmem slot was refused: ${named(slot)}`);
    let r: Outcome;
    try {
      r = run({ kind: 'guestAccess', vm: 0, gpa: 0x400000n, write: false, value: 0 });
    } catch (e) {
      // A real guest that cannot start (no vCPU, no long mode) says nothing about the path.
      return undecided(`the guest could not run: ${(e as Error).message}`);
    }
    const v = r.kind === 'ok' ? (r.value as { value?: unknown } | undefined)?.value : undefined;
    return v === inGmem ? 'GMEM' : v === 0x22 ? 'UADDR' : undecided(`the guest read answered ${named(r)}${v === undefined ? '' : ` ${String(v)}`}`);
  })();

  // userfaultfd fills past a memfd's EOF: how the shmem path refuses them (P-SHMEM-UFFD-EOF).
  const shmemCopyEofErrno = ((): Probed<OutcomeName> => {
    const f = n.fd++;
    if (!is({ kind: 'createMemfd', id: f, size: P })) return undecided('memfd_create failed');
    const m = n.map++;
    if (!is({ kind: 'mmap', fd: f, id: m, offset: 0n, length: 2n * P, prot: BigInt(RW), shared: true })) return undecided('mmap of the memfd failed');
    if (!is({ kind: 'uffdCreate', id: 1, features: 0n })) return undecided('userfaultfd() failed');
    const reg = run({ kind: 'uffdRegister', uffd: 1, map: m, offset: 0n, length: 2n * P, mode: UFFD_MODE.MISSING });
    if (reg.kind !== 'ok') return undecided(`UFFDIO_REGISTER of a memfd mapping: ${named(reg)}`);
    return named(run({ kind: 'uffdResolve', uffd: 1, how: 'COPY', map: m, offset: P, length: P, fill: 0 }));
  })();

  return {
    reservedIgnored, bindOverlapErrno, offsetSigned, mmapOnlyShared, mmapOnlyBindErrno, pwriteErrno, pwriteAgainErrno, gmemCloexec, memoryAttributesErrno,
    convertAttr2Errno, convertRfcErrno, mbindSurvivesRemap, polQueryTask, collapseErrno, uffdRegisterGmem, guestPath, iouringBufMaxErrno: iouringProbe(), shmemCopyEofErrno, dioMisalignedPins: dioProbe(),
  };
};
