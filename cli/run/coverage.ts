/**
 * Rule coverage of a run: which rules of the selected domains decided at least one verdict, and
 * for each one that never did, why (a rule never exercised by a run must be visible, and a list
 * without reasons is noise): not encoded in the spec (no op observes it), its property skipped on
 * this target, a feature the judging profile has off, a second NUMA node, or simply not reached
 * by the sequences of this run (with its observability tag on the 6.18 host).
 */
import { CATALOGUE, type CatalogueEntry } from '../../spec/catalogue/index.js';
import { ALL_RULES } from '../../spec/index.js';
import type { Domain, Profile } from '../../spec/vocab/index.js';
import type { DomainResult } from './result.js';

export interface Coverage {
  readonly hit: ReadonlyMap<string, number>;
  /** Rules of the selected domains no verdict named, by domain, each with the reason. */
  readonly never: ReadonlyMap<Domain, readonly (readonly [string, string])[]>;
  /** Catalogue rules of the selected domains. */
  readonly total: number;
}

const ENCODED = new Set(ALL_RULES.map((r) => r.id));

const FEATURE_OF: Partial<Record<Domain, readonly [keyof Profile['features'], string]>> = {
  shareability: ['conversion', 'in-place conversion'],
  uffd: ['uffd', 'userfaultfd on guest_memfd'],
  directmap: ['noDirectMap', 'NO_DIRECT_MAP'],
};

/** The catalogue domains a run's properties cover: their own, and every domain when `mixed` ran. */
export const coveredDomains = (results: readonly DomainResult[]): Set<Domain> => {
  const names = results.map((r) => r.property.domain);
  if (names.includes('mixed')) return new Set([...CATALOGUE.values()].map((e) => e.domain));
  return new Set(names.filter((n): n is Exclude<typeof n, 'mixed' | 'parallel'> => n !== 'mixed' && n !== 'parallel'));
};

const reason = (e: CatalogueEntry, results: readonly DomainResult[], profile: Profile): string => {
  if (!ENCODED.has(e.id)) return 'not encoded: no op of the vocabulary observes it';
  const own = results.find((r) => r.property.domain === e.domain);
  if (own?.status === 'skip') return `property skipped: ${own.detail ?? ''}`;
  if (own?.status === 'error') return 'property broke (infrastructure error)';
  const f = FEATURE_OF[e.domain];
  if (f !== undefined && !profile.features[f[0]]) return `${f[1]} is off in profile ${profile.name}`;
  if (e.observability === 'MN' && profile.numaNodes < 2) return `needs two NUMA nodes (profile ${profile.name} has ${profile.numaNodes})`;
  return `not reached by this run's sequences${e.observability ? ` (on 6.18: ${e.observability})` : ''}`;
};

export const coverage = (results: readonly DomainResult[], profile: Profile, onlyRule?: string): Coverage => {
  const hit = new Map<string, number>();
  for (const r of results) for (const [id, n] of r.ruleHits) hit.set(id, (hit.get(id) ?? 0) + n);
  const domains = coveredDomains(results);
  const never = new Map<Domain, [string, string][]>();
  let total = 0;
  for (const e of CATALOGUE.values()) {
    if (!domains.has(e.domain) || (onlyRule !== undefined && e.id !== onlyRule)) continue;
    total++;
    if (hit.has(e.id)) continue;
    const list = never.get(e.domain) ?? [];
    list.push([e.id, reason(e, results, profile)]);
    never.set(e.domain, list);
  }
  return { hit, never, total };
};

export const coverageLines = (c: Coverage, onlyRule?: string): string[] => {
  if (onlyRule !== undefined) {
    const n = c.hit.get(onlyRule) ?? 0;
    const why = [...c.never.values()].flat().find(([id]) => id === onlyRule)?.[1];
    return [`rule coverage (--rule ${onlyRule}): ${n ? `${onlyRule} decided ${n} verdict${n === 1 ? '' : 's'}` : `${onlyRule} decided no verdict: ${why ?? 'not reached'}`}`];
  }
  const inScope = [...c.hit.keys()].filter((id) => CATALOGUE.has(id)).length;
  const unknown = [...c.hit.keys()].filter((id) => !CATALOGUE.has(id));
  const count = [...c.never.values()].reduce((a, l) => a + l.length, 0);
  const lines = [
    // The parallel domain alone has no catalogue domain of its own: it judges with every rule.
    `rule coverage: ${inScope} rules decided at least one verdict${c.total === 0 ? '' : `; of the ${c.total} catalogue rules of the selected domains, ${c.total - count} did`}`,
    ...(unknown.length ? [`verdicts named rules missing from the catalogue: ${unknown.join(', ')}`] : []),
  ];
  if (count === 0) return lines;
  lines.push(`never exercised (${count}, with the reason):`);
  for (const [domain, ids] of c.never) {
    // One line per reason within a domain: the same cause is said once.
    const byReason = new Map<string, string[]>();
    for (const [id, why] of ids) byReason.set(why, [...(byReason.get(why) ?? []), id]);
    for (const [why, list] of byReason) lines.push(`  ${domain.padEnd(12)} ${list.join(' ')}: ${why}`);
  }
  return lines;
};
