/**
 * The vCPU side (issue 15): KVM_CREATE_VCPU, the creation request on any fd, KVM_PRE_FAULT_MEMORY.
 *
 * vCPU id 0 of a VM that ran a guest access belongs to the harness's real guest (ops-guest.ts
 * creates it on first use, src/guest.cc). A sequence asking for that id in such a VM, or a guest
 * access after the sequence took it, would see the harness's own vCPU: both are refused as bad
 * ops (the generators never draw id 0; spec/vocab/ops-vcpu.ts). Where guestAccess is not offered
 * (kvm_pvm here) no guest ever exists and id 0 is the sequence's.
 */
import { MISUSE_ARG, MISUSE_SIZE, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import { BadOpError, TargetBrokenError } from '../../../spec/vocab/errors.js';
import type { Ctx } from './context.js';
import { create } from './context.js';
import { fromRc } from './outcomes.js';
import { GM_BAD_ARG, GM_NO_SCRATCH } from './ops-fd.js';

/** vCPU id the harness guest uses (src/guest.cc: KVM_CREATE_VCPU(0)). */
export const HARNESS_VCPU_ID = 0n;

export const createVcpu = (c: Ctx, op: OpOf<'createVcpu'>): Outcome => {
  if (op.vcpuId === HARNESS_VCPU_ID && c.t.guests.has(op.vm)) {
    throw new BadOpError(`createVcpu: vCPU id 0 of VM #${op.vm} belongs to the harness guest that ran its guest accesses`);
  }
  const rc = create(c.t.vcpus, op.id, 'vcpu', () => c.b.createVcpu(c.t.vmFd(op.vm), op.vcpuId));
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

/** ok { gpa, size }: the range the kernel wrote back (the ioctl returns 0 on any progress). */
export const preFault = (c: Ctx, op: OpOf<'preFault'>): Outcome => {
  const [rc, gpa, size] = c.b.preFaultFull(c.t.vcpu(op.vcpu), op.gpa, op.size, op.flags, op.padding);
  return rc < 0 ? fromRc(rc) : ok({ gpa, size });
};
