/**
 * The one narrow interface every target implements (emulator, native, remote). `apply` returns
 * kernel errors, signals, userfaults and KVM exits as Outcome values and never throws for them; it
 * throws only when the harness itself broke, with one of the named errors in ./errors.ts.
 */
import type { Op } from './ops.js';
import type { Outcome } from './outcome.js';
import type { ProbeResult } from './probe.js';

export type { ProbeResult };

export interface Target {
  readonly name: string;
  probe(): Promise<ProbeResult>;
  apply(op: Op): Promise<Outcome>;
  /** Release every VM, fd, mapping and thread this target created. Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates a fresh, isolated target instance (one per property run). `seed` descends from the
 * fast-check run, so a deterministic target (the emulator) replays identically.
 */
export type TargetFactory = (seed: number) => Promise<Target>;

/** One op of a branch as a parallel run observed it; start/end in one clock when the target timed it. */
export interface TimedOutcome {
  readonly outcome: Outcome;
  /** ns (CLOCK_MONOTONIC) on a real kernel, scheduler steps in the emulator. */
  readonly start?: number;
  readonly end?: number;
}

export interface BranchRun {
  readonly branches: readonly (readonly TimedOutcome[])[];
  /**
   * The emulator's interleaving: the task run at each scheduler step (a branch index; the number
   * of branches stands for the userfault monitor). Replaying it reproduces the run exactly.
   */
  readonly schedule?: readonly number[];
  /** Wall time of the concurrent part in ns (a real kernel: barrier release to the last branch's end). */
  readonly ns?: number;
  /** The step (1-based) at which a replayed schedule stopped fitting; the run went on first-runnable from there. */
  readonly diverged?: number;
}

/** At most this many branches of at most this many ops (models/parallel/case.ts says why). */
export const MAX_BRANCHES = 3;
export const MAX_BRANCH_OPS = 4;
/** The longest emulator interleaving a run records or a replay forces (scheduler steps). */
export const MAX_SCHEDULE = 20_000;

export interface BranchOptions {
  /** Emulator: at step i the task picked is runnable[choices[i] % runnable.length]; past the end, the first. */
  readonly choices?: readonly number[];
  /** Emulator: replay exactly this interleaving (a BranchRun's schedule). */
  readonly schedule?: readonly number[];
}

/**
 * A target that can run branches of ops concurrently on the state its earlier apply() calls left
 * (a parallel case's prefix). Branch ops create and destroy nothing (models/parallel/case.ts checks
 * that); after runBranches the target only closes.
 */
export interface ParallelTarget extends Target {
  runBranches(branches: readonly (readonly Op[])[], o?: BranchOptions): Promise<BranchRun>;
}

export const canRunBranches = (t: Target): t is ParallelTarget => typeof (t as Partial<ParallelTarget>).runBranches === 'function';
