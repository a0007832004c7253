/**
 * One side of a diff: a target kind and, optionally, the profile it is judged by. Written
 * `emulator:linux-6.18`, `native` (the probed profile), `native:upstream/P-BIND-OVERLAP=EINVAL`, or
 * with series stacked on (./combine.ts): `emulator:uffd-v2+conversion-v8`.
 * Parsing is separate from opening so that bad arguments fail before any target is touched.
 */
import type { Profile } from '../../spec/vocab/index.js';
import { resolveProfile } from '../../spec/profiles/index.js';
import type { SetupResult, TargetKind, TargetSetup } from '../target-setup.js';
import { stackSeries } from './combine.js';

export interface SideSpec {
  readonly kind: TargetKind;
  /** Undefined: the emulator's default (linux-6.18) or the native kernel's probed profile. */
  readonly profile?: Profile;
  readonly bugs: readonly string[];
}

export interface Side {
  readonly label: string;
  readonly setup: TargetSetup;
}

/** A side argument that names no target or no profile; the message says what is accepted. */
export class BadSideError extends Error {
  override name = 'BadSideError';
}

/** The target could not be opened (e.g. /dev/kvm unusable): not a difference, not a bad argument. */
export class SideUnavailableError extends Error {
  override name = 'SideUnavailableError';
}

export const parseSide = (text: string, bugs: readonly string[] = []): SideSpec => {
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const profileText = colon < 0 ? '' : text.slice(colon + 1);
  if (kind !== 'emulator' && kind !== 'native') {
    throw new BadSideError(`side '${text}' must start with 'emulator' or 'native' (e.g. emulator:linux-6.18, native:upstream)`);
  }
  if (colon >= 0 && profileText === '') throw new BadSideError(`side '${text}' has an empty profile after ':'`);
  try {
    const [head, ...series] = profileText.split('+');
    const profile = profileText ? series.reduce(stackSeries, resolveProfile(head!)) : undefined;
    // Planted bugs exist only in the emulator; a native side is always the kernel as it is.
    return { kind, bugs: kind === 'emulator' ? bugs : [], ...(profile ? { profile } : {}) };
  } catch (e) {
    throw new BadSideError(`side '${text}': ${(e as Error).message}`);
  }
};

export const sideLabel = (s: SideSpec, setup: TargetSetup): string =>
  `${s.kind}:${setup.profile.name}${s.bugs.length ? ` [bugs ${s.bugs.join(',')}]` : ''}`;

/** Opens a target kind (the application's cli/targets.ts setupTarget): the harness constructs none. */
export type OpenTarget = (kind: TargetKind, o: { readonly profile?: Profile; readonly bugs: readonly string[] }) => Promise<SetupResult>;

export const openSide = async (s: SideSpec, open: OpenTarget): Promise<Side> => {
  const r = await open(s.kind, { ...(s.profile ? { profile: s.profile } : {}), bugs: s.bugs });
  if (!r.ok) throw new SideUnavailableError(`${s.kind}: ${r.reason}`);
  return { label: sideLabel(s, r.setup), setup: r.setup };
};
