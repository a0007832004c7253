/** The rule catalogue: every rule id a verdict may name, with its statement and citation. */
import { domainOfRule } from '../vocab/domains.js';
import type { CatalogueEntry, RuleText } from './entry.js';
import { KERNEL_RULES } from './kernel-rules.js';
import { GENERIC_RULES } from './generic-rules.js';
import { SURFACE_RULES } from './surface-rules.js';
import { SURFACE_FD_RULES } from './surface-fd-rules.js';
import { SURFACE_MAP_RULES } from './surface-map-rules.js';
import { SURFACE_VCPU_RULES } from './surface-vcpu-rules.js';
import { SURFACE_FD2_RULES } from './surface-fd2-rules.js';
import { SURFACE_CHILD_RULES } from './surface-child-rules.js';
import { SURFACE_KVMFD_RULES } from './surface-kvmfd-rules.js';
import { SURFACE_UFFDWP_RULES } from './surface-uffdwp-rules.js';
import { SURFACE_SCANWP_RULES } from './surface-scanwp-rules.js';
import { SURFACE_KSTATS_RULES } from './surface-kstats-rules.js';
import { SURFACE_UFFDSCAN_RULES } from './surface-uffdscan-rules.js';
import { SURFACE_OBSERVE_RULES } from './surface-observe-rules.js';
import { SURFACE_MREMAP_RULES } from './surface-mremap-rules.js';
import { SURFACE_MMRANGE_RULES } from './surface-mmrange-rules.js';
import { SURFACE_NUMA_RULES } from './surface-numa-rules.js';
import { SURFACE_SERIES_RULES } from './surface-series-rules.js';
import { SURFACE_PROCOBS_RULES } from './surface-procobs-rules.js';
import { SURFACE_HOMESLOT_RULES } from './surface-homeslot-rules.js';
import { SURFACE_CONVCOPY_RULES } from './surface-convcopy-rules.js';
import { SURFACE_SPAN_RULES } from './surface-span-rules.js';

export type { CatalogueEntry, Observability, RuleText } from './entry.js';
export { OBSERVABILITY } from './entry.js';
export { KERNEL_RULES, GENERIC_RULES, SURFACE_RULES, SURFACE_FD_RULES, SURFACE_MAP_RULES, SURFACE_VCPU_RULES, SURFACE_FD2_RULES, SURFACE_CHILD_RULES, SURFACE_KVMFD_RULES, SURFACE_UFFDWP_RULES, SURFACE_KSTATS_RULES, SURFACE_UFFDSCAN_RULES, SURFACE_OBSERVE_RULES, SURFACE_MREMAP_RULES, SURFACE_MMRANGE_RULES, SURFACE_NUMA_RULES, SURFACE_SERIES_RULES, SURFACE_PROCOBS_RULES, SURFACE_HOMESLOT_RULES, SURFACE_CONVCOPY_RULES, SURFACE_SCANWP_RULES, SURFACE_SPAN_RULES };
export { SOURCES, SOURCE_KEYS, DEFAULT_KERNEL, sourceKeysIn, type Source } from './sources.js';
export { OPEN_QUESTIONS, type OpenQuestion } from './questions.js';

const entry = (r: RuleText): CatalogueEntry => {
  const domain = domainOfRule(r.id);
  if (domain === undefined) throw new Error(`catalogue: rule id ${r.id} has no domain prefix (spec/vocab/domains.ts)`);
  return { qualifier: '', measured: '', src: '', ...r, domain };
};

export const CATALOGUE: ReadonlyMap<string, CatalogueEntry> = new Map(
  [...KERNEL_RULES, ...SURFACE_RULES, ...SURFACE_FD_RULES, ...SURFACE_MAP_RULES, ...SURFACE_VCPU_RULES, ...SURFACE_FD2_RULES, ...SURFACE_CHILD_RULES, ...SURFACE_KVMFD_RULES, ...SURFACE_UFFDWP_RULES, ...SURFACE_KSTATS_RULES, ...SURFACE_UFFDSCAN_RULES, ...SURFACE_OBSERVE_RULES, ...SURFACE_MREMAP_RULES, ...SURFACE_MMRANGE_RULES, ...SURFACE_NUMA_RULES, ...SURFACE_SERIES_RULES, ...SURFACE_PROCOBS_RULES, ...SURFACE_HOMESLOT_RULES, ...SURFACE_CONVCOPY_RULES, ...SURFACE_SCANWP_RULES, ...SURFACE_SPAN_RULES, ...GENERIC_RULES].map((r) => [r.id, entry(r)]),
);

/** The citation printed with a rule: where its text lives (docs/rules.md) and its sources. */
export const citation = (r: CatalogueEntry): string =>
  r.domain === 'generic' ? r.src : `docs/rules.md ${r.id}${r.src ? `; ${r.src}` : ''}`;
