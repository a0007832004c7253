/**
 * probe(): raw facts about this kernel (adapters/target.ts ProbeResult). ABI differences without a
 * capability are decided by behavioural probes issued through the same op code paths as apply(),
 * on a scratch context that is released afterwards; never by the release string.
 */
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { CAP, GMEM_FLAG, MEM, MPOL, UFFD_MODE } from '../../../spec/vocab/index.js';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import type { ProbeResult } from '../../target.js';
import type { NativeBinding } from './binding.js';
import type { Ctx } from './context.js';
import { findDeadZone, vmaQuery } from './addrspace.js';
import { dispatch } from './dispatch.js';
import { GUEST_LEVEL_UNSUPPORTED, guestAccessUnsupported } from './guest-support.js';
import { behaviourRecord, magicHex, type Behaviours } from '../../behaviours.js';
import { fromRc } from './outcomes.js';
import { releaseCtx } from './release.js';
import { Tables } from './tables.js';

/** KVM_CAP_NR_MEMSLOTS (include/uapi/linux/kvm.h). */
const CAP_NR_MEMSLOTS = 10;
const CAP_NUMBERS = [CAP_NR_MEMSLOTS, CAP.MULTI_ADDRESS_SPACE, 231, 232, 233, 234, 235, 236, 244, 245, 246, 247, 248, 249, 250];
const PAGES2 = 8192n;
const SHARED = GMEM_FLAG.MMAP | GMEM_FLAG.INIT_SHARED;

const readText = (p: string): string | undefined => {
  try { return readFileSync(p, 'utf8').trim(); } catch { return undefined; }
};

/** "0", "0-3", "0,2-3" → node count. */
export const countNodes = (list: string): number =>
  list.split(',').filter(Boolean).reduce((n, part) => {
    const [a, b] = part.split('-').map(Number);
    return n + (b === undefined ? 1 : b - (a ?? 0) + 1);
  }, 0);

const name = (o: Outcome): string => (o.kind === 'ok' ? 'ok' : o.kind === 'errno' ? o.errno : o.kind);

/** A bind at this guest_memfd_offset of a PAGES2 file: its loff_t sum wraps negative (P-OFFSET). */
const OFFSET_NEAR_2_63 = (1n << 63n) - PAGES2;
const GUEST_GPA = 0x100000n;
const GMEM_BYTE = 0x11;
const UADDR_BYTE = 0x22;

/**
 * P-GUEST-PATH by behaviour: a memslot whose guest_memfd page holds one byte and whose
 * userspace_addr page (a memfd) another; a real guest reads the slot and says which it saw.
 */
const guestPath = (run: (op: Op) => Outcome): string => {
  run({ kind: 'createVm', id: 2, type: 0 });
  run({ kind: 'createGmem', vm: 2, id: 10, size: PAGES2, flags: SHARED, reserved: [] });
  run({ kind: 'createMemfd', id: 11, size: PAGES2 });
  run({ kind: 'mmap', fd: 10, id: 10, offset: 0n, length: PAGES2, prot: 3, shared: true });
  run({ kind: 'mmap', fd: 11, id: 11, offset: 0n, length: PAGES2, prot: 3, shared: true });
  const fill = (map: number, value: number): Outcome => run({ kind: 'store', map, offset: 0n, value, onUserfault: 'ZEROPAGE', fill: 0 });
  if (fill(10, GMEM_BYTE).kind !== 'ok' || fill(11, UADDR_BYTE).kind !== 'ok') return 'undecided (could not fill the two pages)';
  const slot = run({
    kind: 'setMemoryRegion', vm: 2, v1: false, slot: 0, flags: MEM.GUEST_MEMFD, gpa: GUEST_GPA, size: PAGES2,
    uaddr: { kind: 'map', map: 11, offset: 0n }, gmem: { kind: 'fd', fd: 10 }, gmemOffset: 0n,
  });
  if (slot.kind !== 'ok') return `undecided (the probe memslot: ${name(slot)})`;
  let read: Outcome;
  try {
    read = run({ kind: 'guestAccess', vm: 2, gpa: GUEST_GPA, write: false, value: 0 });
  } catch (e) {
    return `undecided (${(e as Error).message})`;
  }
  const v = read.kind === 'ok' ? (read.value as { value: number }).value : undefined;
  return v === GMEM_BYTE ? 'GMEM' : v === UADDR_BYTE ? 'UADDR' : `undecided (the guest saw ${read.kind === 'ok' ? `byte ${v}` : JSON.stringify(read)})`;
};

const behaviours = (b: NativeBinding, c: Ctx): Behaviours => {
  const run = (op: Op): Outcome => dispatch(c, op);
  run({ kind: 'createVm', id: 0, type: 0 });
  run({ kind: 'createGmem', vm: 0, id: 0, size: PAGES2, flags: SHARED, reserved: [] });
  const gmemFd = c.t.fd(0);
  const magic = b.fstatfs(gmemFd);
  const reservedIgnored =
    run({ kind: 'createGmem', vm: 0, id: 1, size: PAGES2, flags: 0n, reserved: Array(6).fill((1n << 64n) - 1n) }).kind === 'ok';
  const bind = (slot: number, gpa: bigint, fd = 0, gmemOffset = 0n, size = 4096n): Outcome => run({
    kind: 'setMemoryRegion', vm: 0, v1: false, slot, flags: MEM.GUEST_MEMFD, gpa, size,
    uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd }, gmemOffset,
  });
  const bindOverlapErrno = bind(0, 0n).kind === 'ok' ? name(bind(1, 0x100000n)) : 'undecided';
  // P-OFFSET: 6.18 adds offset and size as loff_t, so the sum wraps negative and passes the size check.
  run({ kind: 'createGmem', vm: 0, id: 2, size: PAGES2, flags: SHARED, reserved: [] });
  const wrap = bind(2, 0x200000n, 2, OFFSET_NEAR_2_63, PAGES2);
  const offsetSigned = wrap.kind === 'ok' ? true : wrap.kind === 'errno' && wrap.errno === 'EINVAL' ? false : undefined;
  // P-MMAP-NOSHARED-GUEST: a MMAP file without INIT_SHARED bound to a type-0 VM.
  run({ kind: 'createGmem', vm: 0, id: 3, size: PAGES2, flags: GMEM_FLAG.MMAP, reserved: [] });
  const noSharedBindErrno = name(bind(3, 0x300000n, 3));
  // P-DEFAULT-SHARE: does bit 1 make host faults work (INIT_SHARED) or fail (RFC INIT_PRIVATE)?
  run({ kind: 'createGmem', vm: 0, id: 4, size: PAGES2, flags: SHARED, reserved: [] });
  run({ kind: 'mmap', fd: 4, id: 4, offset: 0n, length: 4096n, prot: 3, shared: true });
  const fault = run({ kind: 'load', map: 4, offset: 0n, onUserfault: 'ZEROPAGE', fill: 0 });
  const initSharedFaults = fault.kind === 'ok' ? true : fault.kind === 'signal' && fault.signal === 'SIGBUS' ? false : undefined;
  const pwriteErrno = name(run({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 0n, len: 1, value: 1 }));
  const gmemCloexec = (run({ kind: 'fdFlags', fd: 0 }) as { value?: { cloexec?: boolean } }).value?.cloexec;
  const memoryAttributesErrno = name(run({ kind: 'setMemoryAttributes', vm: 0, gpa: 0n, size: 4096n, attributes: 8n }));
  const convertAttr2Errno = name(run({ kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len: 4096n, toPrivate: true }));
  const convertRfcErrno = name(run({ kind: 'convert', fd: 0, api: 'GMEM-CONVERT', offset: 0n, len: 4096n, toPrivate: true }));
  // Mempolicy scope: does a VMA policy survive munmap + mmap of the same offsets?
  run({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4096n, prot: 3, shared: true });
  const bound = run({ kind: 'mbind', map: 0, offset: 0n, length: 4096n, mode: MPOL.BIND, nodes: 1, flags: 0 });
  run({ kind: 'munmap', map: 0 });
  run({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4096n, prot: 3, shared: true });
  const pol = run({ kind: 'getMempolicy', map: 1, offset: 0n, query: 'ADDR' });
  const mbindSurvivesRemap = bound.kind === 'ok' && pol.kind === 'ok' ? (pol.value as { mode: number }).mode !== MPOL.DEFAULT : undefined;
  // P-POL-QUERY: with a task policy set, what does get_mempolicy(ADDR) say for a page with no policy?
  const task = run({ kind: 'setMempolicy', mode: MPOL.BIND, nodes: 1 });
  const q = run({ kind: 'getMempolicy', map: 4, offset: 0n, query: 'ADDR' });
  run({ kind: 'setMempolicy', mode: MPOL.DEFAULT, nodes: 0 });
  const polQueryTask = task.kind === 'ok' && q.kind === 'ok' ? (q.value as { mode: number }).mode === MPOL.BIND : undefined;
  const collapseErrno = name(run({ kind: 'madvise', map: 1, offset: 0n, length: 4096n, advice: 'COLLAPSE' }));
  run({ kind: 'uffdCreate', id: 0, features: 0 });
  const uffdRegisterGmem = name(run({ kind: 'uffdRegister', uffd: 0, map: 1, offset: 0n, length: 4096n, mode: UFFD_MODE.MISSING }));
  // P-SHMEM-UFFD-EOF: UFFDIO_COPY into the page of a memfd mapping that lies past EOF.
  run({ kind: 'createMemfd', id: 20, size: 4096n });
  run({ kind: 'mmap', fd: 20, id: 20, offset: 0n, length: PAGES2, prot: 3, shared: true });
  run({ kind: 'uffdCreate', id: 1, features: 0 });
  const reg = run({ kind: 'uffdRegister', uffd: 1, map: 20, offset: 0n, length: PAGES2, mode: UFFD_MODE.MISSING });
  const shmemCopyEofErrno = reg.kind === 'ok' ? name(run({ kind: 'uffdResolve', uffd: 1, how: 'COPY', map: 20, offset: 4096n, length: 4096n, fill: 0 })) : undefined;
  // KVM_PRE_FAULT_MEMORY needs a vCPU.
  const vcpu = b.ioctlInt(c.t.vmFd(0), b.nr.KVM_CREATE_VCPU, 0);
  const preFaultErrno = vcpu < 0 ? `vcpu ${-vcpu}` : name(fromRc(b.preFault(vcpu, 0n, 4096n)));
  if (vcpu >= 0) b.close(vcpu);
  const thp = readText('/sys/kernel/mm/transparent_hugepage/enabled');
  return {
    fsMagic: magic < 0 ? `errno ${-magic}` : magicHex(magic), reservedIgnored, bindOverlapErrno, offsetSigned, noSharedBindErrno,
    initSharedFaults, pwriteErrno, ...(gmemCloexec !== undefined ? { gmemCloexec } : {}), memoryAttributesErrno, convertAttr2Errno,
    convertRfcErrno, mbindSurvivesRemap, polQueryTask, collapseErrno, uffdRegisterGmem, preFaultErrno, shmemCopyEofErrno,
    guestPath: guestPath(run), thp: thp?.match(/\[(\w+)\]/)?.[1] ?? 'absent', sigsegvCaught: true,
  };
};

export const probeNative = (b: NativeBinding): ProbeResult => {
  const kvmFd = b.openKvm();
  const c: Ctx = { b, t: new Tables(), kvmFd, uffdTimeoutMs: 2000, deadZone: findDeadZone(), vq: vmaQuery((a) => b.nextVma(a)), mempolicyTouched: false };
  try {
    const check = (fd: number): Record<number, number> =>
      Object.fromEntries(CAP_NUMBERS.map((n) => [n, b.ioctlInt(fd, b.nr.KVM_CHECK_EXTENSION, n)]));
    const vmTypes = [0, 1, 2, 3, 4, 5].filter((t) => {
      const fd = b.ioctlInt(kvmFd, b.nr.KVM_CREATE_VM, t);
      if (fd >= 0) b.close(fd);
      return fd >= 0;
    });
    const vm = b.ioctlInt(kvmFd, b.nr.KVM_CREATE_VM, 0);
    const caps = { kvm: check(kvmFd), vm: vm >= 0 ? check(vm) : {} };
    if (vm >= 0) b.close(vm);
    const beh: Behaviours = {
      ...behaviours(b, c),
      ...(caps.vm[CAP_NR_MEMSLOTS] !== undefined ? { memslotCount: caps.vm[CAP_NR_MEMSLOTS] } : {}),
      ...(caps.vm[CAP.GUEST_MEMFD_FLAGS] !== undefined ? { gmemFlagsCap: caps.vm[CAP.GUEST_MEMFD_FLAGS] } : {}),
    };
    const guest = guestAccessUnsupported(beh.guestPath ?? 'not probed');
    return {
      target: 'native',
      release: release(),
      caps,
      vmTypes,
      numaNodes: countNodes(readText('/sys/devices/system/node/online') ?? '0'),
      behaviours: behaviourRecord(beh),
      unsupported: { ...(guest !== undefined ? { guestAccess: guest } : {}), guestMapLevel: GUEST_LEVEL_UNSUPPORTED },
    };
  } finally {
    releaseCtx(c);
  }
};
