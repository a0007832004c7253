/**
 * Opens a target by name and works out everything a run needs from it: the profile (given for the
 * emulator; derived from the probe for a real kernel unless one is forced), the op kinds it cannot
 * issue with their reasons, and the generator's safety limits.
 */
import type { OpKind, Profile } from '../spec/vocab/index.js';
import { deriveProfile } from '../spec/profiles/index.js';
import type { VariantDecision } from '../spec/profiles/derive.js';
import type { ProbeResult, TargetFactory } from '../adapters/target.js';
import { createEmulator } from '../adapters/emulator/index.js';
import { createNativeTarget, guestMemfdAvailable } from '../adapters/native/index.js';
import { CAP } from '../spec/vocab/index.js';
import { EMULATOR_LIMITS, NATIVE_LIMITS, type GenLimits } from './generate/context.js';

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
  /** Profile variants the spec consults that no probe could decide, with the reason (native only). */
  readonly undecided: readonly string[];
  /** Every variant's state (decided by which probe / not applicable / undecided), for a real kernel. */
  readonly decisions?: readonly VariantDecision[];
}

export type SetupResult = { readonly ok: true; readonly setup: TargetSetup } | { readonly ok: false; readonly reason: string };

export interface SetupOptions {
  /** The emulator's profile, or a profile forced onto a real kernel instead of the probed one. */
  readonly profile?: Profile;
  /** Emulator bugs to switch on (bug zoo). */
  readonly bugs?: readonly string[];
  /** The agent for kind 'remote': tcp://host:port, ssh://[user@]host[:port] or stdio://<command>. */
  readonly url?: string;
}

const finish = (
  kind: TargetKind, probe: ProbeResult, profile: Profile, makeTarget: TargetFactory, limits: GenLimits, undecided: readonly string[],
  decisions?: readonly VariantDecision[],
): SetupResult => ({
  ok: true,
  setup: {
    kind, profile, makeTarget, probe, limits, undecided, ...(decisions ? { decisions } : {}),
    unsupported: probe.unsupported,
    excluded: new Set(Object.keys(probe.unsupported) as OpKind[]),
  },
});

/** A real kernel without guest_memfd (cap 234 = 0, kernel-rules.md ENV-1) has nothing to test: the reason, else undefined. */
const noGuestMemfd = (probe: ProbeResult): string | undefined =>
  probe.target !== 'emulator' && !((probe.caps.kvm[CAP.GUEST_MEMFD] ?? 0) > 0)
    ? `kernel ${probe.release} has no guest_memfd (KVM_CHECK_EXTENSION(KVM_CAP_GUEST_MEMFD) on /dev/kvm is ${probe.caps.kvm[CAP.GUEST_MEMFD] ?? 'absent'})`
    : undefined;

export const setupTarget = async (kind: TargetKind, o: SetupOptions = {}): Promise<SetupResult> => {
  if (kind === 'emulator') {
    const { linux618 } = await import('../spec/profiles/index.js');
    const profile = o.profile ?? linux618;
    const makeTarget: TargetFactory = async (seed) => createEmulator({ profile, seed, bugs: o.bugs ?? [] });
    const probe = await (await makeTarget(0)).probe();
    return finish(kind, probe, profile, makeTarget, EMULATOR_LIMITS, []);
  }
  if (kind === 'remote') {
    if (o.url === undefined) return { ok: false, reason: 'remote target needs an agent URL (GMEMCHECK_TARGET=tcp://host:port | ssh://host | stdio://command)' };
    // An unreachable agent throws (AgentUnreachableError): an infrastructure error, never a skip.
    const { RemoteClient } = await import('../adapters/remote/index.js');
    const client = new RemoteClient(o.url);
    const { probe } = await client.hello();
    const none = noGuestMemfd(probe);
    if (none !== undefined) return { ok: false, reason: `agent at ${o.url}: ${none}` };
    const derived = deriveProfile(probe);
    const limits = probe.target === 'emulator' ? EMULATOR_LIMITS : NATIVE_LIMITS;
    return finish(kind, probe, o.profile ?? derived.profile, client.makeTarget, limits, derived.undecided, derived.decisions);
  }
  const avail = guestMemfdAvailable();
  if (!avail.ok) return { ok: false, reason: avail.reason };
  const makeTarget: TargetFactory = async () => createNativeTarget();
  const t = await makeTarget(0);
  try {
    const probe = await t.probe();
    const derived = deriveProfile(probe);
    return finish(kind, probe, o.profile ?? derived.profile, makeTarget, NATIVE_LIMITS, derived.undecided, derived.decisions);
  } finally {
    await t.close();
  }
};
