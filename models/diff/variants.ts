/**
 * `--variant P-X`: every answer of one open question (docs/rules.md) on a base profile, diffed
 * pairwise (two answers give one pair, three give three).
 */
import type { Profile, VariantKey, Variants } from '../../spec/vocab/index.js';
import { VARIANT_NAMES, VARIANT_VALUES } from '../../spec/vocab/index.js';
import { withVariant } from '../../spec/profiles/index.js';
import { BadSideError, type SideSpec } from './side.js';

const KEY_BY_NAME = new Map(Object.entries(VARIANT_NAMES).map(([k, n]) => [n, k as VariantKey]));

export const variantKey = (name: string): VariantKey => {
  const key = KEY_BY_NAME.get(name);
  if (!key) throw new BadSideError(`unknown open question '${name}'; one of: ${[...KEY_BY_NAME.keys()].join(', ')}`);
  return key;
};

/** `baseProfile` is the base side's profile (for a native base without one: the probed profile). */
export const variantSides = (base: SideSpec, baseProfile: Profile, name: string): [SideSpec, SideSpec][] => {
  const key = variantKey(name);
  const values = VARIANT_VALUES[key] as readonly Variants[typeof key][];
  const sides = values.map((v): SideSpec => ({ ...base, profile: withVariant(baseProfile, key, v) }));
  return sides.flatMap((x, i) => sides.slice(i + 1).map((y): [SideSpec, SideSpec] => [x, y]));
};
