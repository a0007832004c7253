/**
 * The native target: every vocabulary op issued for real against this machine's kernel through
 * the C++ addon in ./src (built by node-gyp from /binding.gyp during npm install / npm ci).
 * See ./README.md for the fault mechanism, the uffd helper thread and the dead-handle conventions.
 */
import { accessSync, constants } from 'node:fs';
import { release } from 'node:os';
import { CAP, IOCTL } from '../../spec/vocab/index.js';
import { TargetBrokenError } from '../../spec/vocab/errors.js';
import type { Target, TargetFactory } from '../../spec/vocab/target.js';
import { limitedTarget, type TargetLimits } from '../limits.js';
import { loadBinding } from './_internals/binding.js';
import { NativeTarget } from './_internals/target.js';
import type { NativeTargetOptions as RawOptions } from './_internals/target.js';

export interface NativeTargetOptions extends RawOptions {
  /** Resource limits of this target (defaults: NATIVE_TARGET_LIMITS). */
  readonly limits?: Partial<TargetLimits>;
}

/**
 * What one native target may make this machine's kernel hold, whoever drives it (a run, a replayed
 * token, an agent): far above what the generators ask for on a real kernel (NATIVE_LIMITS in
 * models/generate/context.ts), far below what would bring the OOM killer (a replayed memfd
 * fallocate of 2^62 bytes did, before this limit).
 */
export const NATIVE_TARGET_LIMITS: TargetLimits = { vms: 64, fds: 1024, maps: 1024, populateBytes: 1n << 30n };
const SAFETY = 'the native target\'s safety limit';

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
 * to KVM_CREATE_GUEST_MEMFD (ENV-1: optional behaviour comes from capabilities).
 * The conformance domains need it; the addon's own tests on memfd only need nativeAvailable().
 */
export const guestMemfdAvailable = (): NativeAvailability => {
  const base = nativeAvailable();
  if (!base.ok) return base;
  const { binding } = loadBinding();
  if (binding === undefined) return { ok: false, reason: 'native addon not loadable' };
  const fd = binding.openKvm();
  const cap = binding.ioctlInt(fd, IOCTL.KVM_CHECK_EXTENSION, CAP.GUEST_MEMFD);
  binding.close(fd);
  return cap > 0 ? { ok: true } : {
    ok: false,
    reason: `this kernel (${release()}) has no guest_memfd: KVM_CHECK_EXTENSION(KVM_CAP_GUEST_MEMFD) on /dev/kvm is ${cap} ` +
      '(built without CONFIG_KVM_GUEST_MEMFD); test a kernel that has it in a VM (gmemcheck vm, npm run test:vm) or through the agent',
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
  const limits = { ...NATIVE_TARGET_LIMITS, ...opts.limits };
  return Promise.resolve(limitedTarget(new NativeTarget(binding, opts), limits, { vms: SAFETY, fds: SAFETY, maps: SAFETY, populateBytes: SAFETY }));
};

export const nativeTargetFactory: TargetFactory = () => createNativeTarget();
