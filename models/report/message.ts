/**
 * The one failure message layout: the rule and its text, the step, wanted vs got,
 * the profile, the whole sequence with each step's outcome, the abstract state before the failing
 * step, and how to replay.
 */
import { CATALOGUE, citation } from '../../spec/catalogue/index.js';
import { formatAllowed, formatOp, formatOutcome } from '../../spec/vocab/render-text.js';
import type { Failure } from '../lockstep.js';
import type { ConformanceError } from '../property.js';
import { replayToken } from './token.js';
import { samePageSteps } from './same-page.js';

const indent = (text: string, by: string): string => text.split('\n').map((l) => by + l).join('\n');

export const ruleLine = (id: string): string => {
  const r = CATALOGUE.get(id);
  return r ? `${id} — ${r.statement} (${citation(r)})` : `${id} — (not in the catalogue)`;
};

/** The earlier steps on the failing step's file pages, with the rules their verdicts named (suspects). */
const samePage = (f: Failure): string[] => {
  const earlier = samePageSteps(f.steps.map((s) => s.op), f.index);
  if (earlier.length === 0) return [];
  const shown = earlier.slice(-4).map((n) => `${n} ${f.steps[n - 1]!.op.kind} [${f.steps[n - 1]!.rules.join(', ')}]`);
  return [`  same page: ${earlier.length > 4 ? '…, ' : ''}step ${shown.join('; step ')}`];
};

export const formatFailure = (f: Failure, extra: { seed?: number; path?: string } = {}): string => {
  const step = f.steps[f.index]!;
  const lines = [
    `[${step.rules[0] ?? '?'}] step ${f.index + 1} of ${f.steps.length} on target=${f.target}, profile=${f.profile.name}`,
    `  op:       ${formatOp(step.op)}`,
    `  wanted:   ${formatAllowed(step.allowed)}`,
    `  got:      ${formatOutcome(step.observed)}`,
    ...step.rules.map((r, i) => `  ${i === 0 ? 'rule:    ' : '         '} ${ruleLine(r)}`),
    ...(step.loose ? [`  loose:    ${step.loose}`] : []),
    ...samePage(f),
    '  sequence:',
    ...f.steps.map((s, i) => `  ${i === f.index ? '>' : ' '}${String(i + 1).padStart(3)}. ${formatOp(s.op)} → ${formatOutcome(s.observed)}`),
    `  state before step ${f.index + 1}:`,
    indent(f.stateBefore.text, '    '),
    `  replay:   gmemcheck replay ${replayToken(f)} --target ${f.target}`,
    ...(extra.seed !== undefined ? [`  fast-check: seed=${extra.seed}${extra.path ? ` path="${extra.path}"` : ''}`] : []),
  ];
  return lines.join('\n');
};

/** The full report of a conformance violation the property pipeline threw. */
export const conformanceReport = (e: ConformanceError): string =>
  formatFailure(e.failure, { seed: e.seed, ...(e.path !== undefined ? { path: e.path } : {}) });
