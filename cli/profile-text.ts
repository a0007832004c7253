/** A profile as report text: name, what it describes, caps, features and every §4 variant by its P-* name. */
import type { Profile, VariantKey } from '../spec/vocab/index.js';
import { VARIANT_NAMES } from '../spec/vocab/index.js';
import { formatScalar } from '../spec/vocab/render-text.js';

export const profileLines = (p: Profile): string[] => [
  `profile ${p.name}`,
  `  describes: ${p.describes}`,
  `  caps:      ${Object.entries(p.caps).map(([k, v]) => `${k}=${formatScalar(v)}`).join(' ')}`,
  `  numaNodes: ${p.numaNodes}`,
  `  features:  ${Object.entries(p.features).map(([k, v]) => `${k}=${v ? 'on' : 'off'}`).join(' ')}`,
  `  variants:  ${(Object.keys(p.variants) as VariantKey[]).map((k) => `${VARIANT_NAMES[k]}=${p.variants[k]}`).join(' ')}`,
];
