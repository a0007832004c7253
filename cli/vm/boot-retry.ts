/**
 * Whether a failed boot is tried once more, and what to say. Two failures are QEMU's, not the
 * kernel's, when they come before the guest ran anything:
 * - a boot that stalls before the initramfs speaks (seen about once in 40 boots under MTTCG here);
 * - a kernel report while booting under multi-threaded TCG: QEMU 7.2's MTTCG races the kernel's
 *   live code patching (a static key flipped while another vCPU runs the site). The guest half
 *   holds a VM open against the KVM keys during a run (./accel.ts), but boot flips others: seen
 *   here as `Oops: int3` in sched_clock_cpu under kernel_init, 1.5 s into a boot of 7.2.13.
 * A second failure is reported as it is: a kernel that oopses on every boot is a finding.
 */
import type { Accel } from './accel.js';
import type { SessionEnd } from './session.js';

export interface BootFacts {
  /** The guest half said hello (its command started): anything later is not a boot failure. */
  readonly guestStarted: boolean;
  /** /init reported an error (a missing module, no 9p): a retry would fail the same way. */
  readonly initError?: string;
  readonly accel: Accel;
  /** The user interrupted: nothing is retried. */
  readonly interrupted: boolean;
}

/** Why the boot is retried (a line for the user), or undefined when it is not. */
export const bootRetry = (end: SessionEnd, f: BootFacts, bootLimitS: number, lastConsoleLine: string): string | undefined => {
  if (f.interrupted || f.guestStarted || f.initError !== undefined) return undefined;
  if (end.kind === 'boot-timeout') return `the guest did not start within ${bootLimitS} s (last console line: ${lastConsoleLine}); booting again`;
  if (end.kind === 'report' && f.accel.kind === 'tcg' && f.accel.thread === 'multi') {
    return `the guest kernel reported "${end.title}" while booting, before gmemcheck ran anything: under multi-threaded TCG that is QEMU's race with the kernel's code patching (docs/vm.md); booting again (a second report is the finding)`;
  }
  return undefined;
};
