/**
 * The rule × column matrix: one row per catalogue rule, one cell per target/profile column saying
 * pass (with how many verdicts the rule decided), fail (linking to the failure picture) or skip
 * (with the reason: the domain could not run on that target, or nothing reached the rule).
 */
import { CATALOGUE, type CatalogueEntry } from '../../spec/catalogue/index.js';
import { esc } from './escape.js';
import type { ColumnResult, DomainResult } from './results.js';
import type { Failure } from '../lockstep.js';

export type CellStatus = 'pass' | 'fail' | 'skip';

export interface Cell {
  readonly status: CellStatus;
  readonly hits: number;
  readonly reason: string;
  /** Anchor of the failure section, for fail cells. */
  readonly href?: string;
}

/** The k-th failure of a domain (a run that kept going has several). */
export const failureAnchor = (column: number, domain: string, k = 0): string => `fail-${column}-${domain}${k ? `-${k}` : ''}`;

/** Every distinct failure of a domain: `gmemcheck run` keeps going, a computed column stops at the first. */
export const domainFailures = (d: DomainResult): readonly Failure[] => d.failures ?? (d.failure ? [d.failure] : []);

/** The rule that heads a failure: the one whose allowed set excluded the observation. */
const headRule = (f: Failure): string | undefined => f.steps[f.index]?.rules[0];

export const failingRule = (d: DomainResult): string | undefined => (d.failure ? headRule(d.failure) : undefined);

export const cellFor = (r: CatalogueEntry, c: ColumnResult, column: number): Cell => {
  const hits = c.ruleHits[r.id] ?? 0;
  for (const d of c.domains) {
    if (d.status !== 'fail') continue;
    const k = domainFailures(d).findIndex((f) => headRule(f) === r.id);
    if (k >= 0) return { status: 'fail', hits, reason: `${d.domain} property failed at this rule`, href: `#${failureAnchor(column, d.domain, k)}` };
  }
  if (hits > 0) return { status: 'pass', hits, reason: `decided ${hits} verdict(s), all matched` };
  // Environment rules are decided by the creation property (capabilities); generic ones by every property.
  const own = c.domains.find((d) => d.domain === (r.domain === 'environment' ? 'creation' : r.domain));
  if (own && (own.status === 'skip' || own.status === 'error')) return { status: 'skip', hits, reason: `${own.domain} ${own.status}: ${own.reason ?? ''}` };
  const seqs = c.domains.reduce((a, d) => a + d.sequences, 0);
  const tag = r.observability ? ` (on 6.18: ${r.observability})` : '';
  return { status: 'skip', hits, reason: `not reached by ${seqs} sequences${tag}` };
};

const cellHtml = (cell: Cell): string => {
  const text = cell.status === 'pass' ? `pass <small>×${cell.hits}</small>`
    : cell.status === 'fail' ? `<a href="${esc(cell.href ?? '#')}">FAIL</a>${cell.hits ? ` <small>×${cell.hits}</small>` : ''}`
      : `skip<small class="why">${esc(cell.reason)}</small>`;
  return `<td class="cell ${cell.status}" title="${esc(cell.reason)}">${text}</td>`;
};

export const matrixHtml = (columns: readonly ColumnResult[], catalogue: ReadonlyMap<string, CatalogueEntry> = CATALOGUE): string => {
  const head = `<tr><th class="rule-h">rule</th>${columns.map((c) => `<th class="col-h">${esc(c.label)}</th>`).join('')}</tr>`;
  const rows = [...catalogue.values()].map((r) =>
    `<tr class="rule-row" id="rule-${esc(r.id)}"><th class="rule" title="${esc(r.statement)}">${esc(r.id)}<small>${esc(r.domain)}</small></th>`
    + `${columns.map((c, i) => cellHtml(cellFor(r, c, i))).join('')}</tr>`);
  return `<table class="matrix"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
};

export const domainSummaryHtml = (columns: readonly ColumnResult[]): string => {
  const names = [...new Set(columns.flatMap((c) => c.domains.map((d) => d.domain)))];
  const head = `<tr><th>property</th>${columns.map((c) => `<th>${esc(c.label)}</th>`).join('')}</tr>`;
  const rows = names.map((n) => `<tr><th>${esc(n)}</th>${columns.map((c, i) => {
    const d = c.domains.find((x) => x.domain === n);
    if (!d) return '<td class="cell skip">—</td>';
    const status = d.status === 'error' ? 'skip' : d.status;
    const link = d.status === 'fail' ? `<a href="#${failureAnchor(i, n)}">FAIL</a>` : d.status;
    return `<td class="cell ${status}" title="${esc(d.reason ?? '')}">${link} <small>${d.sequences} seq, ${d.opsChecked} ops${d.reason ? ` — ${esc(d.reason)}` : ''}</small></td>`;
  }).join('')}</tr>`);
  return `<table class="domains"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
};
