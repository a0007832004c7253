/**
 * The vCPU side (issue 15): KVM_CREATE_VCPU, the creation request on any fd, KVM_PRE_FAULT_MEMORY.
 *
 * vCPU id 0 of a VM that ran a guest access belongs to the harness's real guest (ops-guest.ts
 * creates it on first use, src/guest.cc). A sequence asking for that id in such a VM, or a guest
 * access after the sequence took it, would see the harness's own vCPU: both are refused as bad
 * ops (the generators never draw id 0; spec/vocab/ops-vcpu.ts). Where guestAccess is not offered
 * (kvm_pvm here) no guest ever exists and id 0 is the sequence's.
 */
import { IOCTL, MISUSE_ARG, MISUSE_SIZE, errnoName, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetBrokenError } from '../../../spec/vocab/errors.js';
import type { Ctx } from './context.js';
import { create } from './context.js';
import { fromRc } from './outcomes.js';
import { GM_BAD_ARG, GM_NO_SCRATCH } from './ops-fd.js';
import { foreignAddress } from './ops-guest.js';
import { unmapped } from './addrspace.js';

/** vCPU id the harness guest uses (src/guest.cc: KVM_CREATE_VCPU(0)). */
export const HARNESS_VCPU_ID = 0n;

export const createVcpu = (c: Ctx, op: OpOf<'createVcpu'>): Outcome => {
  if (op.vcpuId === HARNESS_VCPU_ID && c.t.guests.has(op.vm)) {
    throw new BadOpError(`createVcpu: vCPU id 0 of VM #${op.vm} belongs to the harness guest that ran its guest accesses`);
  }
  const rc = create(c.t.vcpus, op.id, 'vcpu', () => c.b.createVcpu(c.t.vmFd(op.vm), op.vcpuId));
  if (rc >= 0) c.t.vcpuVm.set(op.id, op.vm);
  if (rc >= 0 && op.vcpuId === HARNESS_VCPU_ID) c.t.vcpuZero.add(op.vm);
  return fromRc(rc);
};

const fdOf = (c: Ctx, on: OpOf<'createGmemMisuse'>['on']): number => {
  switch (on.kind) {
    case 'vm': return c.t.vmFd(on.vm);
    case 'kvm': return c.kvmFd;
    case 'vcpu': return c.t.vcpu(on.vcpu);
    case 'fd': return c.t.fd(on.fd);
  }
};

/** ok only if a kernel created a file for it (the wrapper closes it again). */
export const createGmemMisuse = (c: Ctx, op: OpOf<'createGmemMisuse'>): Outcome => {
  const rc = c.b.createGmemMisuse(fdOf(c, op.on), MISUSE_SIZE[op.ioctlSize], MISUSE_ARG[op.arg]);
  if (rc === GM_NO_SCRATCH || rc === GM_BAD_ARG) throw new TargetBrokenError(`createGmemMisuse: harness code ${rc} (no PROT_NONE page, or a size field above 14 bits)`);
  return fromRc(rc);
};

const PAGE = 4096n;
const U64 = 1n << 64n;
/** GPAs the safety walk looks at before it gives up (the generators' slots are at most 1024 pages). */
const SAFETY_WALK_PAGES = 1n << 16n;

/**
 * The first GPA of the range the kernel would fault in through a userspace_addr this target did
 * not map for the sequence (ops-guest.ts foreignAddress: a slot longer than its mapping, a mapping
 * since unmapped, a NULL-based address above mmap_min_addr). Faulting it in place would make KVM
 * GUP whatever this process has there. Undefined: the walk meets none before a GPA without a slot
 * (where the kernel stops) or the end.
 */
const firstForeign = (c: Ctx, vm: number, gpa: bigint, size: bigint): bigint | undefined => {
  const end = gpa + size;
  for (let g = gpa, n = 0n; g < end; g += PAGE, n++) {
    if (n >= SAFETY_WALK_PAGES) throw new TargetBrokenError(`preFault: a range of more than ${SAFETY_WALK_PAGES} memslot pages is beyond the harness's safety walk`);
    if (c.t.slots.at(vm, g) === undefined) return undefined;
    if (foreignAddress(c, { vm, gpa: g })) return g;
  }
  return undefined;
};

/**
 * The kernel's answer for pre-faulting one GPA whose userspace_addr this target does not own: in a
 * scratch VM whose only slot maps that GPA to a page of the dead zone (nothing mapped there), as
 * ops-guest.ts relocates a guest access. The answer of an isolated address space (spec/README.md).
 */
const scratchPreFault = (c: Ctx, page: bigint): number => {
  const zone = c.deadZone;
  if (zone === undefined || !unmapped(c.vq, zone, zone + PAGE)) throw new TargetBrokenError('preFault through a userspace_addr outside its mapping: no unmapped place to run it safely');
  const vmFd = c.b.ioctlInt(c.kvmFd, IOCTL.KVM_CREATE_VM, 0);
  if (vmFd < 0) throw new TargetBrokenError(`scratch VM for a relocated pre-fault: ${errnoName(-vmFd)}`);
  try {
    const rc = c.b.setMemoryRegion(vmFd, false, 0, 0, page, PAGE, zone, -1, 0n);
    if (rc < 0) throw new TargetBrokenError(`scratch memslot for a relocated pre-fault: ${errnoName(-rc)}`);
    const vcpu = c.b.createVcpu(vmFd, 1n);
    if (vcpu < 0) throw new TargetBrokenError(`scratch vCPU for a relocated pre-fault: ${errnoName(-vcpu)}`);
    try {
      return c.b.preFaultFull(vcpu, page, PAGE, 0n, [])[0];
    } finally {
      c.b.close(vcpu);
    }
  } finally {
    c.b.closeAsync([vmFd]);
  }
};

/**
 * ok { gpa, size }: the range the kernel wrote back (the ioctl returns 0 on any progress). A valid
 * request whose walk would reach a foreign userspace_addr is issued in place up to that GPA, and
 * that GPA is answered by the scratch VM: the walk stops there (an isolated address space has
 * nothing to fault in), so the answer is the in-place part's, or that GPA's errno with the rest
 * written back.
 */
export const preFault = (c: Ctx, op: OpOf<'preFault'>): Outcome => {
  const fd = c.t.vcpu(op.vcpu);
  const vm = c.t.vcpuVm.get(op.vcpu);
  const end = op.gpa + op.size;
  const valid = op.flags === 0n && op.gpa % PAGE === 0n && op.size % PAGE === 0n && op.size > 0n && end < U64;
  const foreign = fd >= 0 && vm !== undefined && valid ? firstForeign(c, vm, op.gpa, op.size) : undefined;
  if (foreign === undefined || vm === undefined) {
    const [rc, gpa, size] = c.b.preFaultFull(fd, op.gpa, op.size, op.flags, op.padding);
    return rc < 0 ? fromRc(rc) : ok({ gpa, size });
  }
  if (c.t.slots.vmType(vm) !== 0) throw new TargetBrokenError('preFault through a foreign userspace_addr in a VM with private memory: cannot be relocated');
  if (foreign > op.gpa) {
    const [rc, gpa, size] = c.b.preFaultFull(fd, op.gpa, foreign - op.gpa, op.flags, op.padding);
    if (rc < 0) return fromRc(rc);
    if (size !== 0n) return ok({ gpa, size: size + (end - foreign) });
  }
  const rc = scratchPreFault(c, foreign);
  if (rc >= 0) throw new TargetBrokenError(`preFault: the scratch VM faulted in GPA 0x${foreign.toString(16)} with nothing mapped behind it`);
  return foreign === op.gpa ? fromRc(rc) : ok({ gpa: foreign, size: end - foreign });
};
