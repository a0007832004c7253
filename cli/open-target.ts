/**
 * Shared by run, replay and probe: choose the target (printing which and why, and for a remote
 * one the agent's address and the backend it serves) and set it up. A target that cannot be set
 * up is an infrastructure error.
 */
import type { Profile } from '../spec/vocab/index.js';
import { type TargetSetup } from '../models/target-setup.js';
import { setupTarget } from './targets.js';
import { InfraError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { recordingFactory } from './run/recording-target.js';
import { chooseTarget, type TargetChoice } from './target-choice.js';
import type { TargetSpec } from './target-spec.js';

export interface OpenRequest {
  readonly target: TargetSpec;
  /** The profile the spec judges by (forced onto a real kernel; the emulator's own unless `emulatorProfile`). */
  readonly profile?: Profile;
  /** The profile the emulator implements, when the spec judges by another (`--emulator-profile`). */
  readonly emulatorProfile?: Profile;
  readonly bugs: readonly string[];
  /** Why this target, when the flag was not typed by the user (see chooseTarget). */
  readonly origin?: string;
  /** Memfd-only work (the parallel domain) may run on a real kernel without guest_memfd (TargetSetup.memfdOnly). */
  readonly memfdOnly?: boolean;
}

export interface Opened {
  readonly choice: TargetChoice;
  readonly setup: TargetSetup;
}

export const openTarget = async (req: OpenRequest, io: Io, announce: (line: string) => void = io.out): Promise<Opened> => {
  const choice = chooseTarget(req.target, req.bugs, req.origin);
  if (req.emulatorProfile !== undefined && choice.kind !== 'emulator') {
    throw new UsageError(`--emulator-profile sets what the emulator implements; the target here is ${choice.kind} (use --target emulator)`);
  }
  const what = choice.kind === 'remote' ? `remote agent ${choice.arg}`
    : choice.kind === 'emulator' && req.emulatorProfile !== undefined && req.emulatorProfile.name !== (req.profile?.name ?? req.emulatorProfile.name)
      ? `emulator implementing ${req.emulatorProfile.name}, judged by ${req.profile!.name}` : choice.kind;
  announce(`target: ${what} (${choice.why})`);
  const r = await setupTarget(choice.kind, {
    ...(req.profile ? { profile: req.profile } : {}), ...(req.emulatorProfile ? { emulatorProfile: req.emulatorProfile } : {}),
    bugs: req.bugs, ...(choice.url ? { url: choice.url, shown: choice.arg } : {}), ...(req.memfdOnly ? { memfdOnly: true } : {}),
  });
  if (!r.ok) throw new InfraError(`cannot set up the ${choice.kind === 'remote' ? `remote target ${choice.arg}` : `${choice.kind} target`}: ${r.reason}`);
  // Name what the agent serves: a remote run must never look like a run of something else.
  if (choice.kind === 'remote') announce(`  the agent serves the ${r.setup.probe.target} backend, kernel ${r.setup.probe.release}`);
  const flight = io.flight;
  if (flight === undefined) return { choice, setup: r.setup };
  return { choice, setup: { ...r.setup, makeTarget: recordingFactory(r.setup.makeTarget, r.setup.profile.name, flight) } };
};
