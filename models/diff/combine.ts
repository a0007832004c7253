/**
 * Series stacked on a profile: `uffd-v2+conversion-v8` is uffd-v2 plus whatever conversion-v8 adds
 * on top of upstream (its features, capabilities and §4 answers). Some open questions only show
 * when two series meet: P-UFFD-PRIV needs private pages in a uffd-registered mapping, which takes
 * userfaultfd *and* in-place conversion.
 */
import type { Profile } from '../../spec/vocab/index.js';
import { PRESETS, upstream } from '../../spec/profiles/index.js';

export class UnknownSeriesError extends Error {
  override name = 'UnknownSeriesError';
}

const delta = <T extends object>(of: T, from: T): Partial<T> =>
  Object.fromEntries(Object.entries(of).filter(([k, v]) => v !== (from as Record<string, unknown>)[k])) as Partial<T>;

/** `base` with the preset `series`'s changes relative to upstream applied; features are only ever switched on. */
export const stackSeries = (base: Profile, series: string): Profile => {
  const s = PRESETS[series];
  if (!s) throw new UnknownSeriesError(`unknown series '${series}' after '+'; presets: ${Object.keys(PRESETS).join(', ')}`);
  const features = Object.fromEntries(Object.entries(base.features).map(([k, on]) => [k, on || s.features[k as keyof typeof s.features]]));
  return {
    ...base,
    name: `${base.name}+${series}`,
    describes: `${base.describes}; plus ${s.describes}`,
    caps: { ...base.caps, ...delta(s.caps, upstream.caps) },
    features: features as unknown as Profile['features'],
    variants: { ...base.variants, ...delta(s.variants, upstream.variants) },
  };
};
