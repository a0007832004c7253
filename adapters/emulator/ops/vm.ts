/** KVM_CREATE_VM, close(vm fd), KVM_CHECK_EXTENSION. */
import { err, ok } from '../../../spec/vocab/index.js';
import type { OpOf, Outcome } from '../../../spec/vocab/index.js';
import type { Kernel } from '../kernel.js';
import { capValue } from '../caps.js';
import { RangeMap } from '../rangemap.js';

/**
 * Types outside KVM_CAP_VM_TYPES → EINVAL (obs:VM-02..11). The type is the ioctl's unsigned long:
 * x86 checks type < 32 before it looks the bit up, so bits 32..63 never alias a small type.
 */
export const createVm = (k: Kernel, op: OpOf<'createVm'>): Outcome => {
  if (op.type >= 32n || !k.profile.caps.vmTypes.includes(Number(op.type))) return err('EINVAL');
  k.claim(k.vms, op.id, { id: op.id, type: Number(op.type), fdOpen: true, slots: new Map(), sptes: new Map(), attrs: new RangeMap<boolean>() }, 'vm');
  return ok();
};

/** The VM object lives on while gmem files reference it (SLOT-12); only the fd goes. */
export const closeVm = (k: Kernel, op: OpOf<'closeVm'>): Outcome => {
  const vm = k.liveVm(op.vm);
  if (!vm) return err('EBADF');
  vm.fdOpen = false;
  return ok();
};

/**
 * The capability is the ioctl's long argument and both switches (generic, then x86) compare all
 * 64 bits with small KVM_CAP_* numbers: a value with a bit above 30 set is no capability (0).
 */
export const checkExtension = (k: Kernel, op: OpOf<'checkExtension'>): Outcome => {
  const vm = op.vm === null ? null : k.liveVm(op.vm);
  if (vm === undefined) return err('EBADF');
  if (op.cap < 0n || op.cap >= 1n << 31n) return ok(0);
  return ok(capValue(k.profile, vm === null ? null : vm.type, Number(op.cap)));
};
