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
