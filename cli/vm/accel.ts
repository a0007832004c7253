/**
 * Which accelerator QEMU uses, and why. KVM when this host's /dev/kvm can run a hardware
 * virtualised guest (the CPU has VMX or SVM and /dev/kvm is not kvm_pvm, which virtualises with
 * neither and cannot back QEMU); otherwise TCG with `-cpu max`, which exposes SVM, so the guest's
 * kvm_amd runs nested inside the emulation.
 *
 * Multi-threaded TCG (QEMU 7.2) oopses a guest that creates and destroys VMs for a while: the
 * first/last VM (and the first/last vCPU without an in-kernel APIC) flips static keys, i.e. live
 * code patching, which races MTTCG. The guest half of `gmemcheck vm` keeps one VM with one such
 * vCPU open for its whole life (cli/vm/guest-main.ts), so those keys never flip during a run;
 * that kept MTTCG, faster than thread=single on an idle host (on a busy one they are even:
 * BENCHMARKS.md). `--accel tcg-single` is there for kernels where that is not enough.
 */
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';

export type Accel = { readonly kind: 'kvm'; readonly why: string } | { readonly kind: 'tcg'; readonly thread: 'multi' | 'single'; readonly why: string };
export type AccelFlag = 'auto' | 'kvm' | 'tcg' | 'tcg-single';
export const ACCEL_FLAGS: readonly AccelFlag[] = ['auto', 'kvm', 'tcg', 'tcg-single'];

export interface HostFacts {
  /** /dev/kvm exists and this user can open it read-write. */
  readonly devKvm: boolean;
  /** /proc/cpuinfo has vmx or svm. */
  readonly hwVirt: boolean;
  /** The kvm_pvm module is loaded (/sys/module/kvm_pvm). */
  readonly pvm: boolean;
}

export const hostFacts = (): HostFacts => {
  let devKvm = false;
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    devKvm = true;
  } catch { /* absent or no permission */ }
  let cpuinfo = '';
  try { cpuinfo = readFileSync('/proc/cpuinfo', 'utf8'); } catch { /* not Linux */ }
  return { devKvm, hwVirt: /^flags\s*:.*\b(vmx|svm)\b/m.test(cpuinfo), pvm: existsSync('/sys/module/kvm_pvm') };
};

/** Why KVM cannot accelerate QEMU here, or undefined if it can. */
export const kvmUnusable = (h: HostFacts): string | undefined => {
  if (!h.devKvm) return '/dev/kvm is missing or not accessible';
  if (h.pvm) return '/dev/kvm is kvm_pvm, which cannot back QEMU';
  if (!h.hwVirt) return 'the CPU shows neither VMX nor SVM';
  return undefined;
};

export class AccelError extends Error {
  override name = 'AccelError';
}

export const chooseAccel = (flag: AccelFlag, h: HostFacts): Accel => {
  const noKvm = kvmUnusable(h);
  const tcg = (thread: 'multi' | 'single', why: string): Accel => ({ kind: 'tcg', thread, why });
  switch (flag) {
    case 'kvm':
      if (noKvm !== undefined) throw new AccelError(`--accel kvm: ${noKvm}`);
      return { kind: 'kvm', why: '--accel kvm' };
    case 'tcg': return tcg('multi', '--accel tcg (multi-threaded; one VM held open in the guest against the MTTCG static-key oops)');
    case 'tcg-single': return tcg('single', '--accel tcg-single');
    case 'auto':
      return noKvm === undefined
        ? { kind: 'kvm', why: 'auto: /dev/kvm can run hardware-virtualised guests' }
        : tcg('multi', `auto: ${noKvm}; TCG with -cpu max (nested SVM), multi-threaded with one VM held open in the guest against the MTTCG static-key oops`);
  }
};
