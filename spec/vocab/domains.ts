/**
 * The rule domains: one name each, used everywhere a domain is named. A rule id starts with its
 * domain's prefix (CRE-4 is a creation rule); `gmemcheck run --domain`, `rules --domain`, the
 * report's rows and properties, the bug zoo and the catalogue all use these names, so nothing
 * translates between vocabularies.
 *
 * Ten domains have a targeted conformance property (models/generate/mixes.ts has one mix per
 * domain, checked by the compiler); environment and generic rules have none of their own: they
 * decide verdicts inside every property.
 */
export const DOMAINS = {
  creation: { prefix: 'CRE', title: 'Creation and flag validation' },
  fileops: { prefix: 'FIO', title: 'Size, offsets, fallocate, punch hole, truncate, read/write' },
  mmap: { prefix: 'MAP', title: 'mmap and host faults' },
  shareability: { prefix: 'SHR', title: 'Shareability and conversion' },
  memslot: { prefix: 'SLOT', title: 'Memslot binding' },
  mempolicy: { prefix: 'POL', title: 'NUMA mempolicy' },
  uffd: { prefix: 'UFD', title: 'userfaultfd' },
  directmap: { prefix: 'DMAP', title: 'Direct-map removal' },
  guest: { prefix: 'LVL', title: 'Guest access and mapping level' },
  lifetime: { prefix: 'LIFE', title: 'Lifetime and multi-process behaviour' },
  environment: { prefix: 'ENV', title: 'Environment and capability discovery' },
  generic: { prefix: 'GEN', title: 'Generic kernel behaviour the suite relies on' },
} as const;

export type Domain = keyof typeof DOMAINS;
export type RulePrefix = (typeof DOMAINS)[Domain]['prefix'];
/** The domains with a targeted property of their own. */
export type PropertyDomain = Exclude<Domain, 'environment' | 'generic'>;

export const DOMAIN_NAMES = Object.keys(DOMAINS) as Domain[];
export const PROPERTY_DOMAINS = DOMAIN_NAMES.filter((d): d is PropertyDomain => d !== 'environment' && d !== 'generic');

const BY_PREFIX = new Map<string, Domain>(DOMAIN_NAMES.map((d) => [DOMAINS[d].prefix, d]));

/** The domain a rule id belongs to (its prefix), or undefined for an id of no domain. */
export const domainOfRule = (ruleId: string): Domain | undefined => BY_PREFIX.get(ruleId.split('-')[0] ?? '');

export const isDomain = (name: string): name is Domain => Object.hasOwn(DOMAINS, name);
