/**
 * The properties `gmemcheck run` executes: the same table `npm test` runs
 * (models/generate/domain-properties.ts), plus rule-to-domain lookup for --rule.
 */
import type { Domain } from '../models/generate/mixes.js';
import { CATALOGUE } from '../spec/catalogue/index.js';
import { UsageError } from './errors.js';

export { DOMAIN_PROPERTIES, type DomainProperty, type RunDomain } from '../models/generate/domain-properties.js';
import { DOMAIN_PROPERTIES, type RunDomain } from '../models/generate/domain-properties.js';

export const RUN_DOMAINS: readonly RunDomain[] = DOMAIN_PROPERTIES.map((p) => p.domain);

/** The rule-id prefix (kernel-rules.md) each targeted property is built around. */
export const PREFIX_DOMAIN: Readonly<Record<string, Domain>> = {
  CRE: 'creation', FIO: 'fileops', MAP: 'mmap', SHR: 'shareability', SLOT: 'memslot', POL: 'mempolicy',
  UFD: 'uffd', DMAP: 'directmap', LVL: 'guest', LIFE: 'lifetime',
};

export const prefixOf = (ruleId: string): string => ruleId.split('-')[0] ?? ruleId;

/** The domains whose mixes reach a rule: its own domain and the mixed sequences (every op kind). */
export const domainsForRule = (ruleId: string): RunDomain[] => {
  if (!CATALOGUE.has(ruleId)) throw new UsageError(`unknown rule '${ruleId}' (see 'gmemcheck rules')`);
  const own = PREFIX_DOMAIN[prefixOf(ruleId)];
  // Generic (GEN) and environment (ENV) rules decide in every domain.
  return own === undefined ? [...RUN_DOMAINS] : [own, 'mixed'];
};

export const parseDomains = (names: readonly string[]): RunDomain[] => {
  for (const n of names) {
    if (!(RUN_DOMAINS as readonly string[]).includes(n)) throw new UsageError(`unknown domain '${n}'; domains: ${RUN_DOMAINS.join(', ')}`);
  }
  return names as RunDomain[];
};
