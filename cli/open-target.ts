/**
 * Shared by run, replay and probe: parse --target/--profile/--bugs, choose the target (printing
 * which and why), and set it up. A target that cannot be set up is an infrastructure error.
 */
import type { Profile } from '../spec/vocab/index.js';
import { type TargetSetup } from '../models/target-setup.js';
import { setupTarget } from './targets.js';
import { InfraError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { recordingFactory } from './run/recording-target.js';
import { chooseTarget, type TargetChoice, type TargetFlag } from './target-choice.js';

export interface OpenRequest {
  readonly target: TargetFlag;
  readonly profile?: Profile;
  readonly bugs: readonly string[];
  /** The agent URL for --target remote (tcp://, ssh://, stdio://). */
  readonly agent?: string;
  /** Why this target, when the flag was not typed by the user (see chooseTarget). */
  readonly origin?: string;
}

export interface Opened {
  readonly choice: TargetChoice;
  readonly setup: TargetSetup;
}

export const openTarget = async (req: OpenRequest, io: Io, announce: (line: string) => void = io.out): Promise<Opened> => {
  const choice = chooseTarget(req.target, req.bugs, req.origin);
  if (choice.kind === 'remote' && req.agent === undefined) throw new UsageError('--target remote needs --agent URL (tcp://host:port, ssh://host or stdio://command)');
  announce(`target: ${choice.kind} (${choice.why})`);
  const r = await setupTarget(choice.kind, { ...(req.profile ? { profile: req.profile } : {}), bugs: req.bugs, ...(req.agent ? { url: req.agent } : {}) });
  if (!r.ok) throw new InfraError(`cannot set up the ${choice.kind} target: ${r.reason}`);
  const flight = io.flight;
  if (flight === undefined) return { choice, setup: r.setup };
  return { choice, setup: { ...r.setup, makeTarget: recordingFactory(r.setup.makeTarget, r.setup.profile.name, flight) } };
};
