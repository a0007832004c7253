/** Profile presets, named variants of §4 open questions, and derivation from a probe. */
import type { Profile, VariantKey, Variants } from '../vocab/index.js';
import { VARIANT_NAMES, VARIANT_VALUES } from '../vocab/index.js';
import { linux618 } from './linux-6.18.js';
import { upstream } from './upstream.js';
import { conversionV8, initPrivateRfc, noDirectMapFilemap, noDirectMapV12, uffdV2, writeV6 } from './series.js';

export { linux618, upstream };
export { decidedVariants, deriveProfile, type DerivedProfile } from './derive.js';

export const PRESETS: Readonly<Record<string, Profile>> = Object.fromEntries(
  [linux618, upstream, conversionV8, uffdV2, noDirectMapV12, noDirectMapFilemap, initPrivateRfc, writeV6].map(
    (p) => [p.name, p],
  ),
);

export class UnknownProfileError extends Error {
  override name = 'UnknownProfileError';
}

/** One open question (docs/rules.md) answered differently: `upstream/P-UFFD-PRIV=USERFAULT`. */
export const withVariant = <K extends VariantKey>(base: Profile, key: K, value: Variants[K]): Profile => ({
  ...base,
  name: `${base.name}/${VARIANT_NAMES[key]}=${value}`,
  variants: { ...base.variants, [key]: value },
});

const KEY_BY_NAME = new Map(Object.entries(VARIANT_NAMES).map(([k, n]) => [n, k as VariantKey]));

/**
 * Resolves a profile spec: a preset name, optionally followed by `/P-NAME=VALUE` parts, e.g.
 * `uffd-v2/P-UFFD-PRIV=USERFAULT`. Throws UnknownProfileError with the valid choices.
 */
export const resolveProfile = (spec: string): Profile => {
  const [name, ...parts] = spec.split('/');
  const base = PRESETS[name ?? ''];
  if (!base) throw new UnknownProfileError(`unknown profile '${name}'; presets: ${Object.keys(PRESETS).join(', ')}`);
  return parts.reduce((p, part) => {
    const [vname, value] = part.split('=');
    const key = KEY_BY_NAME.get(vname ?? '');
    if (!key) throw new UnknownProfileError(`unknown variant '${vname}'; variants: ${[...KEY_BY_NAME.keys()].join(', ')}`);
    const values = VARIANT_VALUES[key] as readonly string[];
    if (!values.includes(value ?? '')) throw new UnknownProfileError(`${vname} takes ${values.join(' | ')}, not '${value}'`);
    return withVariant(p, key, value as Variants[typeof key]);
  }, base);
};

/** Every §4 open question as variant-vs-base profiles: one profile per non-default value. */
export const variantProfiles = (base: Profile): Profile[] =>
  (Object.keys(VARIANT_VALUES) as VariantKey[]).flatMap((key) =>
    (VARIANT_VALUES[key] as readonly Variants[typeof key][])
      .filter((v) => v !== base.variants[key])
      .map((v) => withVariant(base, key, v)),
  );
