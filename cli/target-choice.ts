/**
 * Which target a command runs on, and why. `auto` prefers the real kernel (the thing under test)
 * and falls back to the emulator with the reason the native target is unavailable, so a run never
 * silently tests something other than what the user expected.
 */
import { guestMemfdAvailable } from '../adapters/native/index.js';
import { TARGET_KINDS, type TargetKind } from '../models/target-setup.js';
import { UsageError } from './errors.js';

export type TargetFlag = 'auto' | TargetKind;
export const TARGET_FLAGS: readonly TargetFlag[] = ['auto', ...TARGET_KINDS];

export interface TargetChoice {
  readonly kind: TargetKind;
  readonly why: string;
}

/** `origin` says where a non-auto flag came from when the user did not type it (e.g. a trace). */
export const chooseTarget = (flag: TargetFlag, bugs: readonly string[], origin?: string): TargetChoice => {
  if (bugs.length > 0) {
    if (flag !== 'auto' && flag !== 'emulator') throw new UsageError(`--bugs switches on emulator bugs; it cannot be used with --target ${flag}`);
    return { kind: 'emulator', why: `--bugs ${bugs.join(',')} needs the emulator` };
  }
  if (flag !== 'auto') return { kind: flag, why: origin ?? `--target ${flag}` };
  const avail = guestMemfdAvailable();
  return avail.ok
    ? { kind: 'native', why: 'auto: /dev/kvm is usable and has guest_memfd, testing this machine\'s kernel' }
    : { kind: 'emulator', why: `auto: native target unavailable (${avail.reason}), using the emulator` };
};
