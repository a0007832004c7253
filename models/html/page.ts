/**
 * The whole report as one self-contained HTML document: inline CSS and SVG only, no scripts, no
 * external references, so it can be attached to a mail or a bug and opened anywhere offline.
 */
import type { Failure } from '../lockstep.js';
import { SPEC } from '../spec-api.js';
import { expectedAfter } from './after-state.js';
import { esc } from './escape.js';
import { failureHtml } from './failure.js';
import { domainFailures, domainSummaryHtml, failureAnchor, matrixHtml } from './matrix.js';
import { LEGEND } from './pages-svg.js';
import type { ColumnResult } from './results.js';
import { CSS } from './style.js';

export interface ReportMeta {
  readonly generated: string;
  /** How the columns were obtained (runs and seed, or the results directory). */
  readonly source: string;
}

const failures = (columns: readonly ColumnResult[]): string[] =>
  columns.flatMap((c, i) => c.domains.filter((d) => d.status === 'fail').flatMap((d) => domainFailures(d).map((failure: Failure, k) => {
    const after = expectedAfter(SPEC, failure);
    return failureHtml({ anchor: failureAnchor(i, d.domain, k), column: c.label, domain: d.domain, failure, ...(after ? { after } : {}) });
  })));

export const reportHtml = (columns: readonly ColumnResult[], meta: ReportMeta): string => {
  const fails = failures(columns);
  const legend = `<p class="legend">${LEGEND.map((l) => `<span><i class="${l.cls}"></i>${esc(l.text)}</span>`).join('')}</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>gmemcheck report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${CSS}</style></head>
<body>
<h1>gmemcheck conformance report</h1>
<p class="meta">${esc(meta.generated)} · ${esc(meta.source)} · columns: ${columns.map((c) => esc(c.label)).join(', ')} · ${fails.length} failure(s)</p>
<h2>Properties</h2>${domainSummaryHtml(columns)}
<h2>Failures</h2>${fails.length ? `${legend}${fails.join('\n')}` : '<p>none</p>'}
<h2>Rules</h2><p class="meta">pass ×N: the rule decided N verdicts and every one matched; skip: the rule decided nothing here (reason under it).</p>
${matrixHtml(columns)}
</body></html>
`;
};
