/**
 * docs/rules.md, rendered from the catalogue: every rule with its statement, status,
 * observability on the development host and sources; the open questions and what each answer
 * means; the source keys. scripts/gen-rules-doc.ts writes it; a test fails when it is stale.
 */
import { DOMAINS, DOMAIN_NAMES } from '../vocab/domains.js';
import { VARIANT_NAMES, type VariantKey } from '../vocab/profile.js';
import type { CatalogueEntry } from './entry.js';
import { OPEN_QUESTIONS } from './questions.js';
import { DEFAULT_KERNEL, SOURCES } from './sources.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

const ruleSection = (r: CatalogueEntry): string[] => [
  `### ${r.id}${r.qualifier ? ` (${r.qualifier})` : ''}`,
  '',
  r.statement,
  '',
  `- status: ${r.status || '—'}`,
  `- on 6.18: ${r.observability || 'not tagged'}${r.measured ? ` — ${r.measured}` : ''}`,
  ...(r.src ? [`- sources: ${r.src}`] : []),
  '',
];

export const rulesDoc = (catalogue: ReadonlyMap<string, CatalogueEntry>): string => {
  const rules = [...catalogue.values()];
  const out: string[] = [
    '# The rule catalogue',
    '',
    '<!-- Rendered from spec/catalogue by `npx tsx scripts/gen-rules-doc.ts`; edit the catalogue, not this file.',
    '     test/unit/meta/catalogue.test.ts fails when this file is stale. -->',
    '',
    'What a userspace program can observe of KVM guest_memfd, one rule per id. Verdicts name these ids,',
    'and the spec (spec/<domain>/) implements them.',
    '',
    '- **Status**: `UP-x.y` merged upstream since Linux x.y (`UP-x.y(→6.18.N)` backported to 6.18.N);',
    '  `UP` generic upstream behaviour; `PROP` proposed on the mailing lists, not merged; `OPEN` a design',
    '  question (see [Open questions](#open-questions)); `DERIVED` worked out from the source, stated by',
    '  no selftest or document; `UNVERIFIED` not confirmed from a primary source.',
    '- **On 6.18**: observability on the development host (Linux 6.18.44 with kvm_pvm): `OBS` measured',
    '  (probe ids `obs:ID` resolve in [probe-records/linux-6.18.44-pvm.md](probe-records/linux-6.18.44-pvm.md));',
    '  `Y` observable as stated; `Y-ABSENT` absent there, checked as absent; `P` needs a probe first;',
    '  `NOT-OBS` not observable there (kvm_pvm serves guest accesses from `userspace_addr`); `MN` needs two',
    '  NUMA nodes; `PRIV` needs privileges or is destructive.',
    `- **Sources**: keys S1 … SEED4 are listed under [Sources](#sources); a kernel path cited without a key is read in ${DEFAULT_KERNEL}.`,
    '',
    '## Domains',
    '',
    '| domain | rule prefix | rules | |',
    '|---|---|---|---|',
    ...DOMAIN_NAMES.map((d) => `| [${d}](#${d}) | ${DOMAINS[d].prefix} | ${rules.filter((r) => r.domain === d).length} | ${DOMAINS[d].title} |`),
    '',
  ];
  for (const d of DOMAIN_NAMES) {
    out.push(`## ${d}`, '', `${DOMAINS[d].title} (${DOMAINS[d].prefix}-*).`, '');
    for (const r of rules.filter((x) => x.domain === d)) out.push(...ruleSection(r));
  }
  out.push('## Open questions', '', 'A profile answers each (`--profile BASE/P-NAME=ANSWER`).', '',
    '| question | | answers | evidence | 6.18 |', '|---|---|---|---|---|');
  for (const k of Object.keys(OPEN_QUESTIONS) as VariantKey[]) {
    const q = OPEN_QUESTIONS[k];
    const answers = Object.entries(q.answers).map(([v, m]) => `\`${v}\`: ${m}`).join('<br>');
    out.push(`| **${VARIANT_NAMES[k]}** | ${cell(q.question)} | ${cell(answers)} | ${cell(q.evidence)} | ${cell(q.host)} |`);
  }
  out.push('', '## Sources', '', '| key | source |', '|---|---|', ...SOURCES.map((s) => `| ${s.key} | ${cell(s.cite)} |`), '');
  return out.join('\n');
};

