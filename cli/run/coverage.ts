/**
 * Rule coverage of a run: which catalogue rules decided at least one verdict, and which were
 * never exercised (a rule never exercised by a run must be visible).
 */
import { CATALOGUE } from '../../spec/catalogue/index.js';
import type { DomainResult } from './result.js';

export interface Coverage {
  readonly hit: ReadonlyMap<string, number>;
  /** Catalogue rules no verdict named, grouped by id prefix. */
  readonly never: ReadonlyMap<string, readonly string[]>;
  readonly total: number;
}

export const coverage = (results: readonly DomainResult[]): Coverage => {
  const hit = new Map<string, number>();
  for (const r of results) for (const [id, n] of r.ruleHits) hit.set(id, (hit.get(id) ?? 0) + n);
  const never = new Map<string, string[]>();
  for (const e of CATALOGUE.values()) {
    if (hit.has(e.id)) continue;
    const list = never.get(e.domain) ?? [];
    list.push(e.id);
    never.set(e.domain, list);
  }
  return { hit, never, total: CATALOGUE.size };
};

export const coverageLines = (c: Coverage): string[] => {
  const inCatalogue = [...c.hit.keys()].filter((id) => CATALOGUE.has(id)).length;
  const unknown = [...c.hit.keys()].filter((id) => !CATALOGUE.has(id));
  return [
    `rule coverage: ${inCatalogue}/${c.total} catalogue rules decided at least one verdict`,
    ...(unknown.length ? [`verdicts named rules missing from the catalogue: ${unknown.join(', ')}`] : []),
    'never exercised:',
    ...[...c.never].map(([domain, ids]) => `  ${domain.padEnd(5)} ${ids.join(' ')}`),
  ];
};
