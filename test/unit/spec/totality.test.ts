/** step is total: never throws, always ≥ 1 allowed outcome and ≥ 1 rule, next() accepts each allowed outcome. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { initialState, step, view, ALL_RULES } from '../../../spec/index.js';
import { PRESETS, variantProfiles } from '../../../spec/profiles/index.js';
import { CATALOGUE } from '../../../spec/catalogue/index.js';
import { anyOp, setupOps } from './arb.js';

describe('spec totality', () => {
  for (const [name, p] of Object.entries(PRESETS)) {
    it(`step is total under ${name}`, () => {
      fc.assert(
        fc.property(fc.constantFrom(0n, 1n, 3n, 7n), fc.boolean(), fc.array(anyOp, { maxLength: 40 }), fc.nat(), (flags, memfd, ops, pickSeed) => {
          let s = initialState(p);
          let k = pickSeed;
          for (const op of [...setupOps(flags, memfd), ...ops]) {
            const v = step(p, s, op);
            expect(v.allowed.length).toBeGreaterThan(0);
            expect(v.rules.length).toBeGreaterThan(0);
            for (const o of v.allowed) v.next(o);
            s = v.next(v.allowed[k % v.allowed.length]!);
            k = Math.floor(k / 3) + 7;
          }
          expect(typeof view(s).text).toBe('string');
        }),
        { numRuns: 150 },
      );
    });
  }

  it('step is total under every single-variant profile of every series preset', () => {
    const profiles = Object.values(PRESETS).flatMap((p) => [p, ...variantProfiles(p)]);
    fc.assert(
      fc.property(fc.constantFrom(...profiles), fc.constantFrom(0n, 3n, 7n), fc.boolean(), fc.array(anyOp, { maxLength: 30 }), (p, flags, memfd, ops) => {
        let s = initialState(p);
        for (const op of [...setupOps(flags, memfd), ...ops]) {
          const v = step(p, s, op);
          expect(v.allowed.length).toBeGreaterThan(0);
          s = v.next(v.allowed[v.allowed.length - 1]!);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('every rule id exists in the catalogue and has a citation', () => {
    for (const r of ALL_RULES) {
      expect(CATALOGUE.has(r.id), r.id).toBe(true);
      expect(r.cite.length).toBeGreaterThan(5);
    }
  });
});
