/** The rule catalogue: every rule id a verdict may name, with its statement and citation. */
import type { CatalogueEntry } from './entry.js';
import { KERNEL_RULES } from './kernel-rules.data.js';
import { GENERIC_RULES } from './generic-rules.js';

export type { CatalogueEntry };
export { KERNEL_RULES, GENERIC_RULES };

export const CATALOGUE: ReadonlyMap<string, CatalogueEntry> = new Map(
  [...KERNEL_RULES, ...GENERIC_RULES].map((r) => [r.id, r]),
);

/** The citation printed with a rule: its kernel-rules.md id (or upstream path) and source keys. */
export const citation = (r: CatalogueEntry): string =>
  r.domain === 'GEN' ? r.src : `kernel-rules.md ${r.id}${r.src ? `; ${r.src}` : ''}`;
