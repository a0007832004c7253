/**
 * What a run needs from a target, once it is open: the profile (given for the emulator; derived
 * from the probe for a real kernel unless one is forced), the op kinds it cannot issue with their
 * reasons, and the generator's safety limits. The harness only reads this; the application opens
 * targets and builds it (cli/targets.ts), so nothing here constructs a concrete target.
 */
import type { OpKind, ProbeResult, Profile, TargetFactory } from '../spec/vocab/index.js';
import type { GenLimits } from './generate/context.js';

export type TargetKind = 'emulator' | 'native' | 'remote';
export const TARGET_KINDS: readonly TargetKind[] = ['emulator', 'native', 'remote'];

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
}

export type SetupResult = { readonly ok: true; readonly setup: TargetSetup } | { readonly ok: false; readonly reason: string };

/** A setup from an opened target's probe: unsupported kinds come from the probe itself. */
export const setupOf = (
  kind: TargetKind, probe: ProbeResult, profile: Profile, makeTarget: TargetFactory, limits: GenLimits, undecided: readonly string[],
): TargetSetup => ({
  kind, profile, makeTarget, probe, limits, undecided,
  unsupported: probe.unsupported,
  excluded: new Set(Object.keys(probe.unsupported) as OpKind[]),
});
