/**
 * The native target: every vocabulary op issued for real against this machine's kernel through
 * the C++ addon in ./src (built by node-gyp from /binding.gyp during npm install / npm ci).
 * See ./README.md for the fault mechanism, the uffd helper thread and the dead-handle conventions.
 */
import { accessSync, constants } from 'node:fs';
import { release } from 'node:os';
import { CAP } from '../../spec/vocab/index.js';
import { TargetBrokenError } from '../errors.js';
import type { Target, TargetFactory } from '../target.js';
import { loadBinding } from './_internals/binding.js';
import { NativeTarget } from './_internals/target.js';
import type { NativeTargetOptions } from './_internals/target.js';

export type { NativeTargetOptions };

export type NativeAvailability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Can a native target run here? The reason names what is missing (addon, /dev/kvm, permission). */
export const nativeAvailable = (): NativeAvailability => {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { ok: false, reason: `native target needs Linux x86-64 (this is ${process.platform}/${process.arch})` };
  }
  const { binding, error } = loadBinding();
  if (binding === undefined) return { ok: false, reason: error ?? 'native addon not loadable' };
  try {
    accessSync('/dev/kvm', constants.F_OK);
  } catch {
    return { ok: false, reason: '/dev/kvm does not exist (KVM not available on this machine)' };
  }
  const fd = binding.openKvm();
  if (fd < 0) {
    const why = -fd === 13 || -fd === 1 ? 'no permission (add the user to group kvm or run as root)' : `errno ${-fd}`;
    return { ok: false, reason: `cannot open /dev/kvm: ${why}` };
  }
  binding.close(fd);
  return { ok: true };
};

/**
 * Can this kernel's guest_memfd be tested here? Needs the native target and KVM_CAP_GUEST_MEMFD
 * (234) > 0 on /dev/kvm: a kernel built without CONFIG_KVM_GUEST_MEMFD answers 0 there and ENOTTY
 * to KVM_CREATE_GUEST_MEMFD (kernel-rules.md ENV-1: optional behaviour comes from capabilities).
 * The conformance domains need it; the addon's own tests on memfd only need nativeAvailable().
 */
export const guestMemfdAvailable = (): NativeAvailability => {
  const base = nativeAvailable();
  if (!base.ok) return base;
  const { binding } = loadBinding();
  if (binding === undefined) return { ok: false, reason: 'native addon not loadable' };
  const fd = binding.openKvm();
  const cap = binding.ioctlInt(fd, binding.nr.KVM_CHECK_EXTENSION, CAP.GUEST_MEMFD);
  binding.close(fd);
  return cap > 0 ? { ok: true } : {
    ok: false,
    reason: `this kernel (${release()}) has no guest_memfd: KVM_CHECK_EXTENSION(KVM_CAP_GUEST_MEMFD) on /dev/kvm is ${cap} ` +
      '(built without CONFIG_KVM_GUEST_MEMFD); test a kernel that has it in a VM or through the agent',
  };
};

/**
 * Waits until the VM fds closed targets handed to the closer thread are closed (src/closer.cc).
 * close() returns before the kernel has torn its VMs down; fd counts settle only after this.
 */
export const settleClosing = (): void => {
  loadBinding().binding?.closeSettle();
};

/** A fresh, isolated native target (its own /dev/kvm fd and handle tables). */
export const createNativeTarget = (opts: NativeTargetOptions = {}): Promise<Target> => {
  const avail = nativeAvailable();
  if (!avail.ok) return Promise.reject(new TargetBrokenError(avail.reason));
  const { binding } = loadBinding();
  if (binding === undefined) return Promise.reject(new TargetBrokenError('native addon not loadable'));
  return Promise.resolve(new NativeTarget(binding, opts));
};

export const nativeTargetFactory: TargetFactory = () => createNativeTarget();
