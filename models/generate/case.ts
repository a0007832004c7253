/**
 * A generated case: the op templates of one sequence and the seed its target is made with. Every
 * search draws cases from this one arbitrary (the conformance property behind vitest, `gmemcheck
 * run`, `report` and `mutants`, and `diff`'s exploration and shrinking), so a fast-check seed and
 * replay path name the same case wherever they are replayed.
 */
import fc from 'fast-check';
import type { OpKind } from '../../spec/vocab/index.js';
import type { Mix } from './mixes.js';
import { sequenceArb } from './sequence.js';
import type { Template } from './template.js';

export interface CaseShape {
  readonly mix: Mix;
  readonly maxLength: number;
  /** Shortest body (benchmarks bury failures in long sequences). */
  readonly minLength?: number;
  /** Op kinds the target cannot issue (reported as skips, never generated). */
  readonly excluded?: ReadonlySet<OpKind>;
}

export const caseArb = (c: CaseShape): fc.Arbitrary<[Template[], number]> =>
  fc.tuple(
    sequenceArb({ mix: c.mix, maxLength: c.maxLength, ...(c.minLength !== undefined ? { minLength: c.minLength } : {}), excluded: c.excluded ?? new Set() }),
    fc.noShrink(fc.integer()),
  );
