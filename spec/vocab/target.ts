/**
 * The one narrow interface every target implements (emulator, native, remote). `apply` returns
 * kernel errors, signals, userfaults and KVM exits as Outcome values and never throws for them; it
 * throws only when the harness itself broke, with one of the named errors in ./errors.ts.
 */
import type { Op, OpKind } from './ops.js';
import type { Outcome, Value } from './outcome.js';

/**
 * What a target found out about its kernel. Raw facts only: spec/profiles/derive.ts turns them into
 * a Profile (adapters never import spec logic, so the emulator stays an independent implementation).
 */
export interface ProbeResult {
  readonly target: string;
  /** uname -r, or "emulator (<profile>)". */
  readonly release: string;
  /** KVM_CHECK_EXTENSION values by capability number, on /dev/kvm ("kvm") and on a type-0 VM ("vm"). */
  readonly caps: { readonly kvm: Readonly<Record<number, number>>; readonly vm: Readonly<Record<number, number>> };
  /** VM types KVM_CREATE_VM accepted. */
  readonly vmTypes: readonly number[];
  readonly numaNodes: number;
  /**
   * Behavioural probes for ABI differences that have no capability (kernel-rules.md ENV-1):
   * bindOverlapErrno, mbindSurvivesRemap, fsMagic, reservedIgnored, uffdRegisterGmem, thpEnabled, ...
   */
  readonly behaviours: Readonly<Record<string, Value>>;
  /** Op kinds this target cannot issue or observe, each with the reason (reported as SKIP). */
  readonly unsupported: Readonly<Partial<Record<OpKind, string>>>;
}

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
