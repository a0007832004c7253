/**
 * Which target a command runs on, and why. `auto` prefers the real kernel (the thing under test)
 * and falls back to the emulator with the reason the native target is unavailable, so a run never
 * silently tests something other than what the user expected.
 */
import { guestMemfdAvailable } from '../adapters/native/index.js';
import type { TargetKind } from '../models/target-setup.js';
import { UsageError } from './errors.js';
import type { TargetSpec } from './target-spec.js';

export interface TargetChoice {
  readonly kind: TargetKind;
  readonly why: string;
  /** The agent's address (remote only). */
  readonly url?: string;
  /** What to pass as --target to come back to this target (replay hints). */
  readonly arg: string;
}

/** `origin` says where a non-auto target came from when the user did not type it (e.g. a trace). */
export const chooseTarget = (spec: TargetSpec, bugs: readonly string[], origin?: string): TargetChoice => {
  if (bugs.length > 0) {
    if (spec.kind !== 'auto' && spec.kind !== 'emulator') {
      throw new UsageError(`--bugs switches on emulator bugs; it cannot be used with --target ${spec.kind === 'remote' ? spec.shown : spec.kind}`);
    }
    return { kind: 'emulator', why: `--bugs ${bugs.join(',')} needs the emulator`, arg: 'emulator' };
  }
  const flag = spec.from === undefined ? '--target ' : `${spec.from}=`;
  if (spec.kind === 'remote') return { kind: 'remote', url: spec.url, why: origin ?? `${flag}${spec.shown}`, arg: spec.shown };
  if (spec.kind !== 'auto') return { kind: spec.kind, why: origin ?? `${flag}${spec.kind}`, arg: spec.kind };
  const avail = guestMemfdAvailable();
  const auto = spec.from === undefined ? 'auto' : `${spec.from}=auto`;
  return avail.ok
    ? { kind: 'native', why: `${auto}: /dev/kvm is usable and has guest_memfd, testing this machine's kernel`, arg: 'native' }
    : { kind: 'emulator', why: `${auto}: native target unavailable (${avail.reason}), using the emulator`, arg: 'emulator' };
};
