/**
 * What a run needs from a target, once it is open: the profile (given for the emulator; derived
 * from the probe for a real kernel unless one is forced), the op kinds it cannot issue with their
 * reasons, and the generator's safety limits. The harness only reads this; the application opens
 * targets and builds it (cli/targets.ts), so nothing here constructs a concrete target.
 */
import { isUndecided, type OpKind, type ProbeResult, type Profile, type TargetFactory } from '../spec/vocab/index.js';
import type { GenLimits } from './generate/context.js';

/** The ops that run guest code (KVM_RUN): what ENV-4 gates. */
const GUEST_OP_KINDS: readonly OpKind[] = ['guestAccess', 'guestMapLevel'];

export type TargetKind = 'emulator' | 'native' | 'remote';
export const TARGET_KINDS: readonly TargetKind[] = ['emulator', 'native', 'remote'];

/** What a replay token and a replay hint need besides the ops to come back to this target. */
export interface ReplayContext {
  /** Emulator bugs switched on. */
  readonly bugs: readonly string[];
  /** The profile the emulator implements, when it is not the one the spec judges by. */
  readonly emulatorProfile?: string;
  /** The --target that reaches it (an agent's address, without credentials, for a remote one). */
  readonly target: string;
}

export interface TargetSetup {
  readonly kind: TargetKind;
  readonly profile: Profile;
  readonly makeTarget: TargetFactory;
  readonly probe: ProbeResult;
  /** Op kinds never generated for this target, with the reason (reported as skips). */
  readonly unsupported: Readonly<Partial<Record<OpKind, string>>>;
  readonly excluded: ReadonlySet<OpKind>;
  readonly limits: GenLimits;
  /** Profile variants no probe could decide (real kernels only), each with the reason. */
  readonly undecided: readonly string[];
  /**
   * Set on a real kernel without guest_memfd opened for memfd-only work (the parallel domain: shmem
   * races are real races, and the spec covers memfd as the control backing): why guest_memfd is
   * out. The guest_memfd op kinds are unsupported with that reason; the other domains skip.
   */
  readonly memfdOnly?: string;
  readonly replay: ReplayContext;
}

export type SetupResult = { readonly ok: true; readonly setup: TargetSetup } | { readonly ok: false; readonly reason: string };

/**
 * ENV-4: guest-side rules are asserted only where guest accesses really take the path the profile
 * judges. A target whose accesses go another way (kvm_pvm, or the emulator implementing such a
 * kernel, judged by a profile with the guest_memfd path) shows a hypervisor difference, not a
 * guest_memfd one (SLOT-13: not a conformance failure), so its guest ops are not issued.
 */
export const guestPathMismatch = (probe: ProbeResult, profile: Profile): string | undefined => {
  const g = probe.behaviours.guestPath;
  if (isUndecided(g) || g === profile.variants.guestPath) return undefined;
  return `guest accesses on this target take the ${g} path, profile ${profile.name} judges the ${profile.variants.guestPath} path ` +
    '(P-GUEST-PATH): a hypervisor difference, not a guest_memfd one (ENV-4, SLOT-13)';
};

/** A setup from an opened target's probe: unsupported kinds come from the probe itself (and ENV-4). */
export const setupOf = (
  kind: TargetKind, probe: ProbeResult, profile: Profile, makeTarget: TargetFactory, limits: GenLimits, undecided: readonly string[],
  replay: ReplayContext,
): TargetSetup => {
  const mismatch = guestPathMismatch(probe, profile);
  const unsupported: Partial<Record<OpKind, string>> = { ...probe.unsupported };
  if (mismatch !== undefined) for (const k of GUEST_OP_KINDS) unsupported[k] ??= mismatch;
  return {
    kind, profile, makeTarget, probe, limits, undecided, replay, unsupported,
    excluded: new Set(Object.keys(unsupported) as OpKind[]),
  };
};
