/**
 * The emulator target: an independent, concrete model of how a kernel implements guest_memfd,
 * driven by a Profile (features + answers to the open questions of docs/rules.md) and a seed. Kernel errors come back
 * as Outcome values; only harness bugs throw (spec/vocab/errors.ts).
 */
import type { Op, Outcome, Profile } from '../../spec/vocab/index.js';
import type { BranchOptions, BranchRun, ParallelTarget, ProbeResult } from '../../spec/vocab/target.js';
import { BadOpError } from '../../spec/vocab/errors.js';
import { BUGS } from './bugs.js';
import { RACE_BUGS } from './race-bugs.js';
import { Kernel } from './kernel.js';
import { probeProfile } from './probe.js';
import { step } from './dispatch.js';
import { runBranches } from './parallel/index.js';
export { BUGS } from './bugs.js';
export type { BugId, BugInfo } from './bugs.js';
export { RACE_BUGS } from './race-bugs.js';
export type { RaceBugId, RaceBugInfo } from './race-bugs.js';

export interface EmulatorOptions {
  readonly profile: Profile;
  readonly seed: number;
  readonly bugs?: readonly string[];
}

export { step } from './dispatch.js';

export const createEmulator = (opts: EmulatorOptions): ParallelTarget => {
  const known = new Set<string>([...BUGS, ...RACE_BUGS].map((b) => b.id));
  for (const b of opts.bugs ?? []) if (!known.has(b)) throw new BadOpError(`unknown emulator bug '${b}'`);
  let k = new Kernel(opts.profile, opts.seed, opts.bugs ?? []);
  return {
    name: 'emulator',
    probe: async (): Promise<ProbeResult> => {
      const scratch = new Kernel(opts.profile, opts.seed, opts.bugs ?? []);
      return probeProfile(opts.profile, (op) => step(scratch, op));
    },
    apply: async (op: Op): Promise<Outcome> => step(k, op),
    // Branches interleave on this same kernel, scheduled by o.choices or replaying o.schedule.
    runBranches: async (branches: readonly (readonly Op[])[], o?: BranchOptions): Promise<BranchRun> => runBranches(k, branches, o),
    close: async (): Promise<void> => {
      k = new Kernel(opts.profile, opts.seed, opts.bugs ?? []);
    },
  };
};
