/**
 * One conformance run reduced to what two targets must agree on: pass with the same number of ops
 * and the same rule hits, or the same shrunk counterexample. Infrastructure errors are not
 * verdicts: they propagate.
 */
import type { TargetSetup } from '../../../../models/target-setup.js';
import type { Mix } from '../../../../models/generate/mixes.js';
import { checkConformance, ConformanceError } from '../../../../models/property.js';
import { stringify } from '../../../../spec/vocab/codec.js';

export type Verdict =
  | { readonly pass: true; readonly ops: number; readonly sequences: number; readonly rules: readonly (readonly [string, number])[] }
  | { readonly pass: false; readonly index: number; readonly steps: string };

export const verdictOf = async (s: TargetSetup, mix: Mix, runs: number, seed: number, maxLength = 25): Promise<Verdict> => {
  try {
    const st = await checkConformance(
      { profile: s.profile, makeTarget: s.makeTarget, mix, maxLength, limits: s.limits, excluded: s.excluded },
      { numRuns: runs, seed },
    );
    return { pass: true, ops: st.opsChecked, sequences: st.sequences, rules: [...st.ruleHits.entries()].sort() };
  } catch (e) {
    if (!(e instanceof ConformanceError)) throw e;
    return { pass: false, index: e.failure.index, steps: stringify(e.failure.steps.map((x) => [x.op, x.observed])) };
  }
};

/** Ops a verdict stands for: checked ops of a pass, steps of a counterexample. */
export const opsOf = (v: Verdict): number => (v.pass ? v.ops : (JSON.parse(v.steps) as unknown[]).length);
