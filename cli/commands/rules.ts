/**
 * `gmemcheck rules`: every catalogue rule with its citation, status, observability on the
 * development host (6.18) and the properties that cover it: its domain's property, the long mixed
 * sequences, and the upstream selftest scenarios that list it.
 */
import { CATALOGUE, citation, type CatalogueEntry } from '../../spec/catalogue/index.js';
import { DOMAINS, isDomain, type Domain } from '../../spec/vocab/index.js';
import { UPSTREAM_SCENARIOS } from '../../models/scenarios/upstream.js';
import { EXIT, UsageError, type ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import { parse } from '../parse.js';
import { propertyOf } from '../domains.js';

export interface RuleRow {
  readonly id: string;
  readonly domain: Domain;
  readonly statement: string;
  readonly citation: string;
  readonly status: string;
  readonly observability: string;
  readonly coveredBy: readonly string[];
}

export const coverageOf = (r: CatalogueEntry): string[] => {
  const own = propertyOf(r.id);
  const props = own === undefined ? ['every domain property'] : [`property ${own}`];
  props.push('property mixed');
  for (const s of UPSTREAM_SCENARIOS) if (s.rules.includes(r.id)) props.push(`scenario ${s.name}`);
  return props;
};

export const ruleRows = (domain?: Domain): RuleRow[] =>
  [...CATALOGUE.values()]
    .filter((r) => domain === undefined || r.domain === domain)
    .map((r) => ({ id: r.id, domain: r.domain, statement: r.statement, citation: citation(r), status: r.status, observability: r.observability, coveredBy: coverageOf(r) }));

/** A domain by name (creation) or by its rule prefix (CRE). */
const domainArg = (value: string | undefined): Domain | undefined => {
  if (value === undefined) return undefined;
  if (isDomain(value)) return value;
  const byPrefix = (Object.keys(DOMAINS) as Domain[]).find((d) => DOMAINS[d].prefix === value.toUpperCase());
  if (byPrefix) return byPrefix;
  throw new UsageError(`unknown domain '${value}'; domains: ${Object.keys(DOMAINS).join(', ')} (or a rule prefix: ${Object.values(DOMAINS).map((d) => d.prefix).join(', ')})`);
};

export const rulesCommand = (args: readonly string[], io: Io): ExitCode => {
  const { values } = parse(args, { json: { type: 'boolean' }, domain: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, 0, 'rules');
  const rows = ruleRows(domainArg(values.domain));
  if (values.json) {
    io.out(JSON.stringify(rows, null, 2));
    return EXIT.PASS;
  }
  for (const r of rows) {
    io.out(`${r.id}  [${r.observability}]  ${r.statement}`);
    io.out(`    cite:    ${r.citation}`);
    io.out(`    status:  ${r.status}`);
    io.out(`    covered: ${r.coveredBy.join('; ')}`);
  }
  io.out(`${rows.length} rules`);
  return EXIT.PASS;
};
