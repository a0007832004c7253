/**
 * The properties `gmemcheck run` executes: the same table `npm test` runs
 * (models/generate/domain-properties.ts), plus rule-to-property lookup for --rule.
 */
import { domainOfRule, type PropertyDomain } from '../spec/vocab/index.js';
import { CATALOGUE } from '../spec/catalogue/index.js';
import { UsageError } from './errors.js';

export { DOMAIN_PROPERTIES, type DomainProperty, type RunDomain } from '../models/generate/domain-properties.js';
import { DOMAIN_PROPERTIES, type RunDomain } from '../models/generate/domain-properties.js';

/** Every domain `run` knows: the sequential properties and the parallel cases (cli/run/parallel-run.ts). */
export const RUN_DOMAINS: readonly RunDomain[] = [...DOMAIN_PROPERTIES.map((p) => p.domain), 'parallel'];

/** Rules only a parallel case exercises (spec/split.ts). */
const PARALLEL_RULES: ReadonlySet<string> = new Set(['GEN-UFFD-BLOCKING', 'GEN-FAULT-SPLIT', 'GEN-PUNCH-PASSES', 'GEN-MFILL-SPLIT']);

/** The domain's own property, if it has one (environment and generic rules have none). */
export const propertyOf = (ruleId: string): PropertyDomain | undefined => {
  const d = domainOfRule(ruleId);
  return d === 'environment' || d === 'generic' ? undefined : d;
};

/** The properties whose mixes reach a rule: its own domain's and the mixed sequences (every op kind). */
export const domainsForRule = (ruleId: string): RunDomain[] => {
  if (!CATALOGUE.has(ruleId)) throw new UsageError(`unknown rule '${ruleId}' (see 'gmemcheck rules')`);
  // The rules of concurrency decide only in the parallel cases, which judge no single rule.
  if (PARALLEL_RULES.has(ruleId)) return ['parallel'];
  const own = propertyOf(ruleId);
  // Generic and environment rules decide in every sequential property.
  return own === undefined ? DOMAIN_PROPERTIES.map((p) => p.domain) : [own, 'mixed'];
};

export const parseDomains = (names: readonly string[]): RunDomain[] => {
  for (const n of names) {
    if (!(RUN_DOMAINS as readonly string[]).includes(n)) throw new UsageError(`unknown domain '${n}'; domains: ${RUN_DOMAINS.join(', ')}`);
  }
  return names as RunDomain[];
};
