/**
 * Rule coverage of a run ("a rule never exercised by a run is visible"): how often
 * each rule decided a verdict, the catalogue rules that never did, and any id a verdict named that
 * the catalogue does not know. `formatCoverage` is what `gmemcheck run` prints at the end.
 */
import { CATALOGUE, type CatalogueEntry } from '../../spec/catalogue/index.js';
import { domainOfRule } from '../../spec/vocab/index.js';
import type { RunStats } from '../stats.js';

export interface RuleHits {
  readonly id: string;
  readonly hits: number;
}

export interface Coverage {
  /** Catalogue rules that decided at least one verdict, in catalogue order. */
  readonly hit: readonly RuleHits[];
  /** Catalogue rules that decided nothing, in catalogue order. */
  readonly never: readonly CatalogueEntry[];
  /** Ids a verdict named that the catalogue lacks (a spec bug the meta tests should catch). */
  readonly unknown: readonly RuleHits[];
  readonly decisions: number;
}

export const ruleCoverage = (stats: Pick<RunStats, 'ruleHits'>, catalogue: ReadonlyMap<string, CatalogueEntry> = CATALOGUE): Coverage => {
  const entries = [...catalogue.values()];
  return {
    hit: entries.filter((r) => (stats.ruleHits.get(r.id) ?? 0) > 0).map((r) => ({ id: r.id, hits: stats.ruleHits.get(r.id)! })),
    never: entries.filter((r) => (stats.ruleHits.get(r.id) ?? 0) === 0),
    unknown: [...stats.ruleHits].filter(([id]) => !catalogue.has(id)).map(([id, hits]) => ({ id, hits })),
    decisions: [...stats.ruleHits.values()].reduce((a, n) => a + n, 0),
  };
};

const byDomain = <T>(items: readonly T[], domain: (t: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(domain(t), [...(m.get(domain(t)) ?? []), t]);
  return m;
};

const domainOf = (id: string): string => CATALOGUE.get(id)?.domain ?? domainOfRule(id) ?? id.replace(/-.*$/, '');

/**
 * Never-exercised rules carry their observability tag (docs/rules.md), because "NOT-OBS" or "Y-ABSENT"
 * explains the gap on 6.18 while "OBS" means the generators should reach it and do not.
 */
export const formatCoverage = (stats: Pick<RunStats, 'ruleHits'>): string => {
  const c = ruleCoverage(stats);
  const total = c.hit.length + c.never.length;
  const pct = total ? Math.round((100 * c.hit.length) / total) : 0;
  const lines = [`rule coverage: ${c.hit.length} of ${total} catalogue rules decided a verdict (${pct}%), ${c.decisions} decisions`];
  lines.push('  exercised (hits):');
  for (const [d, rs] of byDomain(c.hit, (r) => domainOf(r.id))) lines.push(`    ${d.padEnd(12)} ${rs.map((r) => `${r.id}×${r.hits}`).join(' ')}`);
  lines.push(`  never exercised (${c.never.length}; observability on 6.18 in brackets):`);
  for (const [d, rs] of byDomain(c.never, (r) => r.domain)) lines.push(`    ${d.padEnd(12)} ${rs.map((r) => `${r.id}[${r.observability || '?'}]`).join(' ')}`);
  if (c.unknown.length) lines.push(`  not in the catalogue: ${c.unknown.map((r) => `${r.id}×${r.hits}`).join(' ')}`);
  return lines.join('\n');
};
