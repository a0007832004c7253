/**
 * One failure in the report: the steps (op → observed, the failing one with wanted vs got and its
 * rules) alongside pictures of every file's pages before the failing step and after it, where
 * "after" is the spec's expected state (./after-state.ts) next to the observed outcome.
 */
import type { StateView } from '../../spec/verdict.js';
import { CATALOGUE } from '../../spec/catalogue/index.js';
import { formatAllowed, formatOp, formatOutcome } from '../../spec/vocab/render-text.js';
import type { Failure } from '../lockstep.js';
import type { ExpectedAfter } from './after-state.js';
import { esc } from './escape.js';
import { fileSvg } from './pages-svg.js';

const stepsHtml = (f: Failure): string => `<ol class="steps">${f.steps.map((s, i) => i === f.index
  ? `<li class="step failing"><code>${esc(formatOp(s.op))}</code><div class="wanted">wanted: ${esc(formatAllowed(s.allowed))}</div>`
    + `<div class="got">got: ${esc(formatOutcome(s.observed))}</div><div class="rules">rules: ${esc(s.rules.join(', '))}</div>`
    + `${s.loose ? `<div class="loose">loose: ${esc(s.loose)}</div>` : ''}</li>`
  : `<li class="step"><code>${esc(formatOp(s.op))}</code> → <span class="obs">${esc(formatOutcome(s.observed))}</span></li>`).join('')}</ol>`;

const picture = (title: string, v: StateView): string =>
  `<figure class="state"><figcaption>${esc(title)}</figcaption>${v.files.length ? v.files.map(fileSvg).join('') : '<p class="nofiles">no files</p>'}</figure>`;

export interface FailureSection {
  readonly anchor: string;
  readonly column: string;
  readonly domain: string;
  readonly failure: Failure;
  readonly after?: ExpectedAfter;
}

export const failureHtml = (s: FailureSection): string => {
  const f = s.failure;
  const step = f.steps[f.index]!;
  const rule = step.rules[0] ?? '?';
  const entry = CATALOGUE.get(rule);
  const after = s.after
    ? picture(`after step ${f.index + 1}, as the spec expected (had the target answered ${formatOutcome(s.after.outcome)})`, s.after.view)
    : '';
  const noFiles = f.stateBefore.files.length === 0 && (s.after?.view.files.length ?? 0) === 0;
  const pictures = noFiles
    ? `<p class="nofiles">no guest_memfd or memfd file exists before or after step ${f.index + 1}: nothing to draw</p>`
      + `<div class="observed">observed at step ${f.index + 1}: <b>${esc(formatOutcome(step.observed))}</b>, outside the allowed set</div>`
    : `${picture(`before step ${f.index + 1}`, f.stateBefore)}`
      + `<div class="observed">observed at step ${f.index + 1}: <b>${esc(formatOutcome(step.observed))}</b>, outside the allowed set (no spec state follows it)</div>`
      + after;
  return `<section class="failure" id="${esc(s.anchor)}">`
    + `<h3><span class="badge fail">FAIL</span> ${esc(rule)} — ${esc(s.column)}, ${esc(s.domain)} property, step ${f.index + 1} of ${f.steps.length}</h3>`
    + `${entry ? `<p class="statement">${esc(entry.statement)}</p>` : ''}`
    + `<div class="failure-body"><div class="steps-col"><h4>steps</h4>${stepsHtml(f)}</div>`
    + `<div class="pictures">${pictures}</div></div>`
    + `<details><summary>abstract state before step ${f.index + 1}</summary><pre>${esc(f.stateBefore.text)}</pre></details></section>`;
};
