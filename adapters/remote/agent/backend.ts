/**
 * What the agent serves: a backend opens fresh targets for one connection's session. The session
 * layer (./session.ts) owns the protocol; a backend only knows how to create, run and abandon
 * targets. Two implementations: in-process (./in-process.ts: the emulator, instrumented test
 * backends) and one child process per session (./process-backend.ts: the native target, whose
 * synchronous ioctls could otherwise block the agent's event loop and its timeouts).
 */
import type { ProbeResult, Target } from '../../../spec/vocab/target.js';

export interface BackendInfo {
  /** 'native', 'emulator', or a test backend's name. */
  readonly name: string;
  readonly kernelRelease: string;
  readonly probe: ProbeResult;
}

export interface BackendSession {
  open(seed: number): Promise<Target>;
  /**
   * An op on `target` overran its time limit: free what can be freed without waiting for it. The
   * process backend kills its child (the kernel then releases every VM, fd and mapping), which
   * also ends this session's other targets; they answer 'target-broken' afterwards.
   */
  abandon(target: Target): void;
  /** The connection ended: release everything this session still holds. */
  close(): Promise<void>;
}

export interface Backend {
  readonly name: string;
  info(): Promise<BackendInfo>;
  session(): BackendSession;
}

export type BackendName = 'native' | 'emulator';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'emulator'];
