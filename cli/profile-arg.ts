/** --profile NAME[/P-X=V...]: a preset, optionally with §4 variants; unknown names list the presets. */
import type { Profile } from '../spec/vocab/index.js';
import { PRESETS, resolveProfile, UnknownProfileError } from '../spec/profiles/index.js';
import { UsageError } from './errors.js';

export const profileArg = (value: string | undefined): Profile | undefined => {
  if (value === undefined) return undefined;
  try {
    return resolveProfile(value);
  } catch (e) {
    if (e instanceof UnknownProfileError) throw new UsageError(e.message);
    throw e;
  }
};

export const presetNames = (): string[] => Object.keys(PRESETS);
