/** The reproducer for one failing trace: its steps with their allowed sets, and a header that says what it shows. */
import { CATALOGUE, citation } from '../../../spec/catalogue/index.js';
import { formatAllowed, formatOp, formatOutcome } from '../../../spec/vocab/render-text.js';
import type { Trace } from '../trace.js';
import { reproProgram } from './program.js';

export const reproFromTrace = (t: Trace): string => {
  const i = t.failingStep;
  const rule = t.rules[0] ?? '?';
  const entry = CATALOGUE.get(rule);
  return reproProgram(
    [{ name: `${rule} reproducer`, steps: t.ops.map((op, n) => ({ op, allowed: t.allowed[n]!, rules: t.stepRules[n]! })) }],
    [
      `gmemcheck reproducer for ${rule}: ${entry?.statement ?? '(not in the catalogue)'}`,
      ...(entry ? [`Citation: ${citation(entry)}.`] : []),
      `Found on ${t.target} (kernel ${t.release}, profile ${t.profile.name}). Step ${i + 1}, ${formatOp(t.ops[i]!)}: allowed ${formatAllowed(t.allowed[i]!)}, observed ${formatOutcome(t.observed[i]!)}.`,
    ],
  );
};
