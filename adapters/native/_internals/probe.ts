/**
 * probe(): raw facts about this kernel (adapters/target.ts ProbeResult). ABI differences without a
 * capability are decided by behavioural probes issued through the same op code paths as apply(),
 * on a scratch context that is released afterwards; never by the release string.
 */
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { CAP, GMEM_FLAG, MEM, MPOL, UFFD_MODE } from '../../../spec/vocab/index.js';
import type { Op, Outcome, Value } from '../../../spec/vocab/index.js';
import type { ProbeResult } from '../../target.js';
import type { NativeBinding } from './binding.js';
import { newCtx, type Ctx } from './context.js';
import { dispatch, GUEST_UNSUPPORTED } from './dispatch.js';
import { fromRc } from './outcomes.js';
import { releaseCtx } from './release.js';

/** KVM_CAP_NR_MEMSLOTS (include/uapi/linux/kvm.h). */
const CAP_NR_MEMSLOTS = 10;
const CAP_NUMBERS = [CAP_NR_MEMSLOTS, 231, 232, 233, 234, 235, 236, 244, 245, 246, 247, 248, 249, 250];
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

const behaviours = (b: NativeBinding, c: Ctx): Record<string, Value> => {
  const run = (op: Op): Outcome => dispatch(c, op);
  const out: Record<string, Value> = {};
  run({ kind: 'createVm', id: 0, type: 0 });
  run({ kind: 'createGmem', vm: 0, id: 0, size: PAGES2, flags: SHARED, reserved: [] });
  const gmemFd = c.t.fd(0);
  const magic = b.fstatfs(gmemFd);
  out['fsMagic'] = magic < 0 ? `errno ${-magic}` : `0x${magic.toString(16).padStart(8, '0')}`;
  out['reservedIgnored'] =
    run({ kind: 'createGmem', vm: 0, id: 1, size: PAGES2, flags: 0n, reserved: Array(6).fill((1n << 64n) - 1n) }).kind === 'ok';
  const bind = (slot: number, gpa: bigint): Outcome => run({
    kind: 'setMemoryRegion', vm: 0, v1: false, slot, flags: MEM.GUEST_MEMFD, gpa, size: 4096n,
    uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: 0n,
  });
  out['bindOverlapErrno'] = bind(0, 0n).kind === 'ok' ? name(bind(1, 0x100000n)) : 'undecided';
  out['pwriteErrno'] = name(run({ kind: 'fileIo', fd: 0, call: 'pwrite', offset: 0n, len: 1, value: 1 }));
  out['gmemCloexec'] = (run({ kind: 'fdFlags', fd: 0 }) as { value?: { cloexec?: boolean } }).value?.cloexec ?? null;
  out['memoryAttributesErrno'] = name(run({ kind: 'setMemoryAttributes', vm: 0, gpa: 0n, size: 4096n, attributes: 8n }));
  out['convertAttr2Errno'] = name(run({ kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len: 4096n, toPrivate: true }));
  out['convertRfcErrno'] = name(run({ kind: 'convert', fd: 0, api: 'GMEM-CONVERT', offset: 0n, len: 4096n, toPrivate: true }));
  // Mempolicy scope: does a VMA policy survive munmap + mmap of the same offsets?
  run({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4096n, prot: 3, shared: true });
  const bound = run({ kind: 'mbind', map: 0, offset: 0n, length: 4096n, mode: MPOL.BIND, nodes: 1, flags: 0 });
  run({ kind: 'munmap', map: 0 });
  run({ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4096n, prot: 3, shared: true });
  const pol = run({ kind: 'getMempolicy', map: 1, offset: 0n, query: 'ADDR' });
  out['mbindSurvivesRemap'] = bound.kind === 'ok' && pol.kind === 'ok'
    ? (pol.value as { mode: number }).mode !== MPOL.DEFAULT : 'undecided';
  out['collapseErrno'] = name(run({ kind: 'madvise', map: 1, offset: 0n, length: 4096n, advice: 'COLLAPSE' }));
  run({ kind: 'uffdCreate', id: 0, features: 0 });
  out['uffdRegisterGmem'] = name(run({ kind: 'uffdRegister', uffd: 0, map: 1, offset: 0n, length: 4096n, mode: UFFD_MODE.MISSING }));
  // KVM_PRE_FAULT_MEMORY needs a vCPU.
  const vcpu = b.ioctlInt(c.t.vmFd(0), b.nr.KVM_CREATE_VCPU, 0);
  out['preFaultErrno'] = vcpu < 0 ? `vcpu ${-vcpu}` : name(fromRc(b.preFault(vcpu, 0n, 4096n)));
  if (vcpu >= 0) b.close(vcpu);
  const thp = readText('/sys/kernel/mm/transparent_hugepage/enabled');
  out['thp'] = thp?.match(/\[(\w+)\]/)?.[1] ?? 'absent';
  out['sigsegvCaught'] = true;
  return out;
};

export const probeNative = (b: NativeBinding): ProbeResult => {
  const kvmFd = b.openKvm();
  const c: Ctx = newCtx(b, kvmFd, 2000);
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
    const beh = behaviours(b, c);
    beh['memslotCount'] = caps.vm[CAP_NR_MEMSLOTS] ?? null;
    beh['gmemFlagsCap'] = caps.vm[CAP.GUEST_MEMFD_FLAGS] ?? null;
    return {
      target: 'native',
      release: release(),
      caps,
      vmTypes,
      numaNodes: countNodes(readText('/sys/devices/system/node/online') ?? '0'),
      behaviours: beh,
      unsupported: { guestAccess: GUEST_UNSUPPORTED, guestMapLevel: GUEST_UNSUPPORTED },
    };
  } finally {
    releaseCtx(c);
  }
};
