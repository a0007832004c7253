/**
 * probe(): raw facts about this kernel (spec/vocab/target.ts ProbeResult). ABI differences without a
 * capability are decided by behavioural probes issued through the same op code paths as apply(),
 * on a scratch context that is released afterwards; never by the release string.
 */
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { IOCTL, errnoName, outcomeName, probeByOps, undecided } from '../../../spec/vocab/index.js';
import type { Behaviours, OpKind, ProbeResult } from '../../../spec/vocab/index.js';
import { openDioScratch } from './scratch.js';
import type { NativeBinding } from './binding.js';
import { newCtx, type Ctx } from './context.js';
import { dispatch } from './dispatch.js';
import { GUEST_LEVEL_UNSUPPORTED, guestAccessUnsupported } from './guest-support.js';
import { fromRc } from './outcomes.js';
import { releaseCtx } from './release.js';

/** KVM_CAP_NR_MEMSLOTS (include/uapi/linux/kvm.h). */
const CAP_NR_MEMSLOTS = 10;
/** KVM_CAP_MULTI_ADDRESS_SPACE: 2 where x86 SMM is built (memslot address spaces), else 0. */
const CAP_MULTI_ADDRESS_SPACE = 118;
const CAP_NUMBERS = [CAP_NR_MEMSLOTS, 66, CAP_MULTI_ADDRESS_SPACE, 128, 231, 232, 233, 234, 235, 236, 244, 245, 246, 247, 248, 249, 250];

/**
 * What this machine cannot issue: guestMapLevel always; guestAccess where the guest-path probe saw
 * no real guest read guest_memfd (`guest`, its reason); O_DIRECT where no block-backed scratch file
 * can be made.
 */
const unsupportedHere = (b: NativeBinding, guest: string | undefined): Readonly<Partial<Record<OpKind, string>>> => {
  const s = openDioScratch(b);
  if ('fd' in s) b.close(s.fd);
  return {
    ...(guest !== undefined ? { guestAccess: guest } : {}),
    guestMapLevel: GUEST_LEVEL_UNSUPPORTED,
    ...('why' in s ? { directIo: s.why } : {}),
  };
};

const readText = (p: string): string | undefined => {
  try { return readFileSync(p, 'utf8').trim(); } catch { return undefined; }
};

/** "0", "0-3", "0,2-3" → node count. */
export const countNodes = (list: string): number =>
  list.split(',').filter(Boolean).reduce((n, part) => {
    const [a, b] = part.split('-').map(Number);
    return n + (b === undefined ? 1 : b - (a ?? 0) + 1);
  }, 0);

const THP = ['always', 'madvise', 'never'] as const;

/** The facts no op can show: KVM_PRE_FAULT_MEMORY (needs a vCPU), fstatfs, the THP sysfs knob. */
const nonOpBehaviours = (b: NativeBinding, c: Ctx): Pick<Behaviours, 'preFaultErrno' | 'fsMagic' | 'thp'> => {
  // vCPU id 1: the guest-path probe's real guest may already own id 0 in this VM.
  const vcpu = b.ioctlInt(c.t.vmFd(0), IOCTL.KVM_CREATE_VCPU, 1);
  const preFaultErrno = vcpu < 0 ? undecided(`KVM_CREATE_VCPU failed: ${errnoName(-vcpu)}`) : outcomeName(fromRc(b.preFault(vcpu, 0n, 4096n)));
  if (vcpu >= 0) b.close(vcpu);
  const gmemFd = c.t.fd(0);
  const magic = gmemFd < 0 ? -9 : b.fstatfs(gmemFd);
  const thpText = readText('/sys/kernel/mm/transparent_hugepage/enabled')?.match(/\[(\w+)\]/)?.[1];
  const thp = THP.find((t) => t === thpText);
  return {
    preFaultErrno,
    fsMagic: magic < 0 ? undecided(`fstatfs of a gmem fd failed: ${errnoName(-magic)}`) : magic,
    thp: thp ?? undecided(thpText === undefined ? 'no /sys/kernel/mm/transparent_hugepage/enabled' : `unknown THP setting ${thpText}`),
  };
};

export const probeNative = (b: NativeBinding): ProbeResult => {
  const kvmFd = b.openKvm();
  const c: Ctx = newCtx(b, kvmFd, 2000);
  try {
    const check = (fd: number): Record<number, number> =>
      Object.fromEntries(CAP_NUMBERS.map((n) => [n, b.ioctlInt(fd, IOCTL.KVM_CHECK_EXTENSION, n)]));
    const vmTypes = [0, 1, 2, 3, 4, 5].filter((t) => {
      const fd = b.ioctlInt(kvmFd, IOCTL.KVM_CREATE_VM, t);
      if (fd >= 0) b.close(fd);
      return fd >= 0;
    });
    const onVm = (type: number): Record<number, number> | undefined => {
      const vm = b.ioctlInt(kvmFd, IOCTL.KVM_CREATE_VM, type);
      if (vm < 0) return undefined;
      const r = check(vm);
      b.close(vm);
      return r;
    };
    // x86 VM types with private memory (kvm_arch_has_private_mem): SW_PROTECTED (1), SNP (4), TDX (5).
    const privateType = vmTypes.find((t) => t === 1 || t === 4 || t === 5);
    const privateVm = privateType === undefined ? undefined : onVm(privateType);
    const caps = { kvm: check(kvmFd), vm: onVm(0) ?? {}, ...(privateVm ? { privateVm } : {}) };
    // The guest-path probe runs a real guest (ops-guest.ts); what it sees decides whether guest
    // accesses are offered: only where guest code really reads guest_memfd.
    const ops = probeByOps((op) => dispatch(c, op), { guestMapLevel: GUEST_LEVEL_UNSUPPORTED });
    const behaviours: Behaviours = { ...ops, ...nonOpBehaviours(b, c) };
    const guest = guestAccessUnsupported(behaviours.guestPath);
    return {
      target: 'native',
      release: release(),
      caps,
      vmTypes,
      numaNodes: countNodes(readText('/sys/devices/system/node/online') ?? '0'),
      behaviours,
      unsupported: unsupportedHere(b, guest),
    };
  } finally {
    releaseCtx(c);
  }
};
