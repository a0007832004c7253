/** VM creation and the VM fd (generic KVM behaviour the gmem rules build on). */
import { err, ok } from '../vocab/index.js';
import { EMPTY } from '../state/imap.js';
import { only, rule, andThen } from '../rule.js';
import type { Ctx } from '../ctx.js';
import { withVm } from '../state/update.js';
import { ebadf, vmDead } from '../lifetime/handles.js';
import { releaseVmIfUnused } from '../lifetime/release.js';
import { must, type Steps } from '../run.js';

/** GEN-VM-TYPE: only supported VM types (target: type 0 only, docs/probe-records/linux-6.18.44-pvm.md). */
export const vmType = rule<Ctx<'createVm'>>({
  id: 'GEN-VM-TYPE',
  cite: 'virt/kvm/kvm_main.c kvm_dev_ioctl_create_vm; obs:VM-02..11',
  decide: ({ p, s, op }) =>
    p.caps.vmTypes.includes(op.type)
      ? andThen(ok(), () => withVm(s, op.id, { type: op.type, fdOpen: true, slots: new Map(), sptes: EMPTY }))
      : only(s, err('EINVAL')),
});
export const createVmChain = [vmType] as const;

export const closeVmDead = ebadf<Ctx<'closeVm'>>(({ s, op }) => vmDead(s, op.vm));

/**
 * SLOT-12: closing the VM fd leaves the VM alive while any gmem file refers to it; the gmem fds
 * stay usable. The VM object goes when the last reference does.
 */
export const slot12 = rule<Ctx<'closeVm'>>({
  id: 'SLOT-12',
  cite: 'SLOT-12; S1 kvm_gmem_create (kvm_get_kvm) / kvm_gmem_release (kvm_put_kvm)',
  decide: ({ s, op }) =>
    andThen(ok(), () => {
      const vm = s.vms.get(op.vm);
      return vm === undefined ? s : releaseVmIfUnused(withVm(s, op.vm, { ...vm, fdOpen: false }), op.vm);
    }),
});
export const closeVmChain = [closeVmDead, slot12] as const;

/** The spec's handler of each op kind this module decides (collected by spec/step.ts). */
export const steps = {
  createVm: (p, s, o) => must({ p, s, op: o }, createVmChain),
  closeVm: (p, s, o) => must({ p, s, op: o }, closeVmChain),
} satisfies Steps;
