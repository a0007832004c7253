/**
 * `gmemcheck rules`: every catalogue rule with its citation, status, T618 tag (observable on a
 * 6.18 target?) and the properties that cover it: the targeted domain property its id prefix
 * names, the long mixed sequences, and the upstream selftest scenarios that list it.
 */
import { CATALOGUE, citation, type CatalogueEntry } from '../../spec/catalogue/index.js';
import { UPSTREAM_SCENARIOS } from '../../models/scenarios/upstream.js';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { parse } from '../parse.js';
import { PREFIX_DOMAIN, RUN_DOMAINS } from '../domains.js';

export interface RuleRow {
  readonly id: string;
  readonly domain: string;
  readonly statement: string;
  readonly citation: string;
  readonly status: string;
  readonly t618: string;
  readonly coveredBy: readonly string[];
}

export const coverageOf = (r: CatalogueEntry): string[] => {
  const own = PREFIX_DOMAIN[r.domain];
  const props = own === undefined ? ['every domain property'] : [`property ${own}`];
  props.push('property mixed');
  for (const s of UPSTREAM_SCENARIOS) if (s.rules.includes(r.id)) props.push(`scenario ${s.name}`);
  return props;
};

export const ruleRows = (domain?: string): RuleRow[] =>
  [...CATALOGUE.values()]
    .filter((r) => domain === undefined || PREFIX_DOMAIN[r.domain] === domain || r.domain === domain.toUpperCase())
    .map((r) => ({ id: r.id, domain: r.domain, statement: r.statement, citation: citation(r), status: r.status, t618: r.t618, coveredBy: coverageOf(r) }));

export const rulesCommand = (args: readonly string[], io: Io): ExitCode => {
  const { values } = parse(args, { json: { type: 'boolean' }, domain: { type: 'string' } }, 0);
  const domain = values.domain;
  const prefixes = Object.keys(PREFIX_DOMAIN).concat('ENV', 'GEN');
  if (domain !== undefined && !(RUN_DOMAINS as readonly string[]).includes(domain) && !prefixes.includes(domain.toUpperCase())) {
    throw new UsageError(`unknown domain '${domain}'; domains: ${RUN_DOMAINS.filter((x) => x !== 'mixed').join(', ')} (or a rule prefix: ${prefixes.join(', ')})`);
  }
  const rows = ruleRows(domain);
  if (values.json) {
    io.out(JSON.stringify(rows, null, 2));
    return EXIT.PASS;
  }
  for (const r of rows) {
    io.out(`${r.id}  [${r.t618}]  ${r.statement}`);
    io.out(`    cite:    ${r.citation}`);
    io.out(`    status:  ${r.status}`);
    io.out(`    covered: ${r.coveredBy.join('; ')}`);
  }
  io.out(`${rows.length} rules`);
  return EXIT.PASS;
};
