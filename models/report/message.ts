/**
 * The one failure message layout: the rule and its text, the step, wanted vs got,
 * the profile, the whole sequence with each step's outcome, the abstract state before the failing
 * step, and how to replay.
 */
import { CATALOGUE, citation } from '../../spec/catalogue/index.js';
import { formatAllowed, formatOp, formatOutcome } from '../../spec/vocab/render-text.js';
import type { Failure } from '../lockstep.js';
import type { ConformanceError } from '../property.js';
import type { ReplayContext } from '../target-setup.js';
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

/** How to come back to the failing case: the target's replay context and the seed its target instance was made with. */
export interface ReplayHint {
  readonly replay?: ReplayContext;
  readonly targetSeed?: number;
}

/** The replay line: a token that carries everything the case needs (bugs, target seed, emulator profile). */
export const replayLine = (f: Failure, h: ReplayHint): string => {
  const r = h.replay;
  const token = replayToken(f, {
    ...(h.targetSeed !== undefined ? { targetSeed: h.targetSeed } : {}),
    ...(r ? { bugs: r.bugs } : {}),
    ...(r?.emulatorProfile !== undefined ? { emulatorProfile: r.emulatorProfile } : {}),
  });
  const target = r?.target ?? f.target;
  return `gmemcheck replay ${token}${target === 'emulator' ? '' : ` --target ${target}`}`;
};

export const formatFailure = (f: Failure, hint: ReplayHint = {}): string => {
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
    `  replay:   ${replayLine(f, hint)}`,
  ];
  return lines.join('\n');
};

/**
 * The full report of a conformance violation the property pipeline threw. Under vitest the
 * fast-check seed and path are what reruns the property's search (GMEMCHECK_SEED); the token reruns the case.
 */
export const conformanceReport = (e: ConformanceError, replay?: ReplayContext): string =>
  `${formatFailure(e.failure, { ...(replay ? { replay } : {}), ...(e.targetSeed !== undefined ? { targetSeed: e.targetSeed } : {}) })}\n` +
  `  fast-check: seed=${e.seed}${e.path ? ` path="${e.path}"` : ''} (GMEMCHECK_SEED=${e.seed} reruns this property's search)`;
