/**
 * Differential: the same generated sequences run on the emulator (under the probed profile) and on
 * the real kernel must give the same outcome at every step both support, except where the spec
 * itself allows more than one outcome (a `loose` verdict). Independent of the spec's exact answer:
 * it catches places where the emulator and the kernel disagree even if the spec is loose or wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../adapters/emulator/index.js';
import { MIXED } from '../../models/generate/mixes.js';
import { sequenceArb } from '../../models/generate/sequence.js';
import { resolveTemplates } from '../../models/property.js';
import { SPEC } from '../../models/spec-api.js';
import { outcomeEqual } from '../../spec/vocab/index.js';
import { formatOp, formatOutcome } from '../../spec/vocab/render-text.js';
import { seedFor, setupFor } from '../_support/run.js';

describe('emulator vs native kernel', () => {
  it('the same sequences give the same outcomes on both targets', async (ctx) => {
    const setup = await setupFor();
    if (!setup.ok) return ctx.skip(setup.reason);
    const s = setup.setup;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(sequenceArb({ mix: MIXED, maxLength: 60, excluded: s.excluded }), fc.noShrink(fc.integer()), async (templates, seed) => {
        const ops = resolveTemplates(templates, s.limits, s.profile);
        const native = await s.makeTarget(seed);
        const emu = createEmulator({ profile: s.profile, seed });
        let state = SPEC.initialState(s.profile);
        try {
          for (const [i, op] of ops.entries()) {
            const verdict = SPEC.step(s.profile, state, op);
            const [a, b] = [await native.apply(op), await emu.apply(op)];
            compared++;
            if (!verdict.loose && !outcomeEqual(a, b)) {
              expect.fail(`step ${i + 1}: ${formatOp(op)}\n  native:   ${formatOutcome(a)}\n  emulator: ${formatOutcome(b)}\n  steps: ${ops.slice(0, i + 1).map(formatOp).join('; ')}`);
            }
            // Continue along the native kernel's path (the spec must allow it; lockstep checks that).
            if (!verdict.allowed.some((o) => outcomeEqual(o, a))) return;
            state = verdict.next(a);
          }
        } finally {
          await native.close();
          await emu.close();
        }
      }),
      { numRuns: 120, ...(seedFor('emulator vs native differential') !== undefined ? { seed: seedFor('emulator vs native differential')! } : {}) },
    );
    expect(compared).toBeGreaterThan(0);
  });
});
