/**
 * KVM_CREATE_VCPU (ENV-11), in the order of virt/kvm/kvm_main.c kvm_vm_ioctl_create_vcpu (v7.2):
 * the VM fd, the id against KVM_MAX_VCPU_IDS (the unsigned long argument, so bits 32..63 count),
 * the VM's vCPU count against max_vcpus, x86's precreate (id < max_vcpu_ids, the same bound here:
 * nothing in the vocabulary lowers it with KVM_CAP_MAX_VCPU_ID), then a duplicate id.
 */
import { err, ok } from '../vocab/index.js';
import { andThen, only, rule } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { ebadf, vmDead } from '../lifetime/handles.js';
import { setIn } from '../state/update.js';
import { must, type Steps } from '../run.js';

type C = Ctx<'createVcpu'>;

const CITE = 'ENV-11; virt/kvm/kvm_main.c kvm_vm_ioctl_create_vcpu (id >= KVM_MAX_VCPU_IDS, created_vcpus >= max_vcpus, kvm_get_vcpu_by_id), arch/x86/kvm/x86.c kvm_arch_vcpu_precreate, v7.2 (obs:VC-01)';

export const vcpuVmGone = ebadf<C>(({ s, op }) => vmDead(s, op.vm));

const vcpusOf = (c: C): bigint[] => [...c.s.vcpus.values()].filter((v) => v.vm === c.op.vm).map((v) => v.vcpuId);

/** ENV-11: an id at or above KVM_MAX_VCPU_IDS, or a VM already at max_vcpus, is EINVAL; a taken id EEXIST. */
export const env11 = rule<C>({
  id: 'ENV-11',
  cite: CITE,
  decide: (c) => {
    const { p, s, op } = c;
    if (op.vcpuId >= BigInt(p.caps.maxVcpuIds)) return only(s, err('EINVAL'));
    const have = vcpusOf(c);
    if (have.length >= p.caps.maxVcpus) return only(s, err('EINVAL'));
    if (have.includes(op.vcpuId)) return only(s, err('EEXIST'));
    return andThen(ok(), () => ({ ...s, vcpus: setIn(s.vcpus, op.id, { vm: op.vm, vcpuId: op.vcpuId }) }));
  },
});

export const createVcpuChain = [vcpuVmGone, env11] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  createVcpu: (p, s, o) => must({ p, s, op: o }, createVcpuChain),
} satisfies Steps;
