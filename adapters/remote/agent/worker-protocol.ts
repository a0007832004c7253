/**
 * Messages between the agent and its per-session backend child (Node IPC with 'advanced'
 * serialization, so bigints and nested outcomes cross unchanged). Both ends are our code, so this
 * stays a plain tagged union without wire validation.
 */
import type { Op, Outcome, Profile } from '../../../spec/vocab/index.js';
import type { BackendName } from './backend.js';
import type { BranchOptions, BranchRun, ProbeResult } from '../../../spec/vocab/target.js';

export type WorkerCall =
  /** First call: which backend to run (and the emulator's profile, resolved by the agent). */
  | { readonly type: 'init'; readonly backend: BackendName; readonly profile?: Profile }
  | { readonly type: 'open'; readonly seed: number }
  | { readonly type: 'probe'; readonly target: number }
  | { readonly type: 'apply'; readonly target: number; readonly op: Op }
  | { readonly type: 'branches'; readonly target: number; readonly branches: readonly (readonly Op[])[]; readonly options: BranchOptions }
  | { readonly type: 'close'; readonly target: number };

export type WorkerRequest = { readonly id: number; readonly call: WorkerCall };

export type WorkerResult = { readonly target: number; readonly name: string } | ProbeResult | Outcome | BranchRun | null;

export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly value: WorkerResult }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string } };
