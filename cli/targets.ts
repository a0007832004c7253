/**
 * Opens a target by kind and builds the TargetSetup a run needs (models/target-setup.ts types it): the
 * application layer is the one place that constructs concrete targets; the harness only receives
 * a TargetFactory.
 */
import { CAP, type ProbeResult, type Profile, type TargetFactory } from '../spec/vocab/index.js';
import { deriveProfile, linux618 } from '../spec/profiles/index.js';
import { createEmulator } from '../adapters/emulator/index.js';
import { createNativeTarget, guestMemfdAvailable, nativeAvailable } from '../adapters/native/index.js';
import { EMULATOR_LIMITS, NATIVE_LIMITS } from '../models/generate/context.js';
import { setupOf, type ReplayContext, type SetupResult, type TargetKind, type TargetSetup } from '../models/target-setup.js';

export interface SetupOptions {
  /** The profile the spec judges by: forced onto a real kernel instead of the probed one; the emulator's own unless `emulatorProfile`. */
  readonly profile?: Profile;
  /**
   * The profile the emulator implements when it is not the judging one: the emulator then stands
   * for a kernel that deviates from the profile it is judged by (`run --emulator-profile linux-6.18 --profile upstream`).
   */
  readonly emulatorProfile?: Profile;
  /** Emulator bugs to switch on (bug zoo). */
  readonly bugs?: readonly string[];
  /** The agent for kind 'remote': tcp://host:port, ssh://[user@]host[:port] or stdio://<command>. */
  readonly url?: string;
  /** The agent's address as shown (no credentials), for replay hints; default the URL. */
  readonly shown?: string;
  /** The backend the agent must serve (default GMEMCHECK_AGENT_BACKEND, else 'native'). */
  readonly expectBackend?: string;
  /** Native: on a kernel without guest_memfd, open it anyway for memfd-only work (TargetSetup.memfdOnly). */
  readonly memfdOnly?: boolean;
}

/** What a kernel without guest_memfd cannot issue: these kinds come back ENOTTY (or need a guest_memfd to mean anything). */
const GMEM_KINDS = ['createGmem', 'convert', 'setMemoryAttributes', 'setMemoryRegion'] as const;

/** A real kernel without guest_memfd (cap 234 = 0, ENV-1) has nothing to test: the reason, else undefined. */
const noGuestMemfd = (probe: ProbeResult): string | undefined =>
  probe.target !== 'emulator' && !((probe.caps.kvm[CAP.GUEST_MEMFD] ?? 0) > 0)
    ? `kernel ${probe.release} has no guest_memfd (KVM_CHECK_EXTENSION(KVM_CAP_GUEST_MEMFD) on /dev/kvm is ${probe.caps.kvm[CAP.GUEST_MEMFD] ?? 'absent'})`
    : undefined;

/** A real kernel without guest_memfd opened for memfd-only work: the guest_memfd kinds are unsupported with the reason. */
const memfdOnlySetup = (kind: TargetKind, probe: ProbeResult, reason: string, profile: Profile | undefined, makeTarget: TargetFactory, replay: ReplayContext): TargetSetup => {
  const why = `${reason}: KVM_CREATE_GUEST_MEMFD is ENOTTY, so only memfd (shmem) cases run`;
  const unsupported = { ...probe.unsupported, ...Object.fromEntries(GMEM_KINDS.map((k) => [k, why])) };
  const derived = deriveProfile(probe);
  return { ...setupOf(kind, { ...probe, unsupported }, profile ?? derived.profile, makeTarget, NATIVE_LIMITS, derived.undecided, replay), memfdOnly: why };
};

export const setupTarget = async (kind: TargetKind, o: SetupOptions = {}): Promise<SetupResult> => {
  const bugs = o.bugs ?? [];
  if (kind === 'emulator') {
    const implemented = o.emulatorProfile ?? o.profile ?? linux618;
    const profile = o.profile ?? implemented;
    const makeTarget: TargetFactory = async (seed) => createEmulator({ profile: implemented, seed, bugs });
    const probe = await (await makeTarget(0)).probe();
    const replay = { bugs, target: 'emulator', ...(implemented.name !== profile.name ? { emulatorProfile: implemented.name } : {}) };
    return { ok: true, setup: setupOf(kind, probe, profile, makeTarget, EMULATOR_LIMITS, [], replay) };
  }
  if (kind === 'remote') {
    if (o.url === undefined) return { ok: false, reason: 'remote target needs an agent URL (GMEMCHECK_TARGET=tcp://host:port | ssh://host | stdio://command)' };
    // An unreachable agent throws (AgentUnreachableError): an infrastructure error, never a skip.
    // So does one that serves another backend than asked for (AgentBackendError): an agent that
    // could not open /dev/kvm and serves the emulator must not make a kernel run look like a pass.
    const { RemoteClient } = await import('../adapters/remote/index.js');
    const client = new RemoteClient(o.url, { expectBackend: o.expectBackend ?? process.env['GMEMCHECK_AGENT_BACKEND'] ?? 'native' });
    const { probe } = await client.hello();
    const none = noGuestMemfd(probe);
    if (none !== undefined && !o.memfdOnly) return { ok: false, reason: `agent at ${o.shown ?? o.url}: ${none}` };
    const derived = deriveProfile(probe);
    const limits = probe.target === 'emulator' ? EMULATOR_LIMITS : NATIVE_LIMITS;
    const replay = { bugs: [], target: o.shown ?? o.url };
    if (none !== undefined) return { ok: true, setup: memfdOnlySetup(kind, probe, `the agent's ${none}`, o.profile, client.makeTarget, replay) };
    return { ok: true, setup: setupOf(kind, probe, o.profile ?? derived.profile, client.makeTarget, limits, derived.undecided, replay) };
  }
  // A kernel without guest_memfd is testable only against a profile that says so (linux-6.18-nogmem):
  // then the memfd control backing is what runs, and every gmem op must answer as that kernel does.
  // Otherwise such a kernel is opened for memfd-only work where the caller asked for it (guest_memfd a SKIP).
  const avail = o.profile?.caps.guestMemfd === 0 ? nativeAvailable() : guestMemfdAvailable();
  if (!avail.ok && !(o.memfdOnly && nativeAvailable().ok)) return { ok: false, reason: avail.reason };
  const makeTarget: TargetFactory = async () => createNativeTarget();
  if (!avail.ok) {
    const t0 = await makeTarget(0);
    try {
      return { ok: true, setup: memfdOnlySetup(kind, await t0.probe(), avail.reason, o.profile, makeTarget, { bugs: [], target: 'native' }) };
    } finally {
      await t0.close();
    }
  }
  const t = await makeTarget(0);
  try {
    const probe = await t.probe();
    const derived = deriveProfile(probe);
    return { ok: true, setup: setupOf(kind, probe, o.profile ?? derived.profile, makeTarget, NATIVE_LIMITS, derived.undecided, { bugs: [], target: 'native' }) };
  } finally {
    await t.close();
  }
};
