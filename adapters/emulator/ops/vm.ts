/** KVM_CREATE_VM, close(vm fd), KVM_CHECK_EXTENSION. */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { capValue } from '../caps.js';
import { RangeMap } from '../rangemap.js';

/** Types outside KVM_CAP_VM_TYPES → EINVAL (obs:VM-02..11). */
export const createVm = (k: Kernel, op: OpOf<'createVm'>): Outcome => {
  if (!k.profile.caps.vmTypes.includes(op.type)) return err('EINVAL');
  k.claim(k.vms, op.id, { id: op.id, type: op.type, fdOpen: true, slots: new Map(), sptes: new Map(), attrs: new RangeMap<boolean>() }, 'vm');
  return ok();
};

/** The VM object lives on while gmem files reference it (SLOT-12); only the fd goes. */
export const closeVm = (k: Kernel, op: OpOf<'closeVm'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  vm.fdOpen = false;
  return ok();
};

export const checkExtension = (k: Kernel, op: OpOf<'checkExtension'>): Outcome => {
  if (op.vm === null) return ok(capValue(k.profile, null, op.cap));
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  return ok(capValue(k.profile, vm.type, op.cap));
};
