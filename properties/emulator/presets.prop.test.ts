/**
 * Every profile preset, and every open question of docs/rules.md answered the other way, runs
 * on the emulator with zero failures: the spec and the emulator agree on all of them.
 */
import { describe, it } from 'vitest';
import { PRESETS, upstream, variantProfiles } from '../../spec/profiles/index.js';
import { MIXED } from '../../models/generate/mixes.js';
import { runDomain, setupFor } from '../_support/run.js';

describe('profile presets on the emulator', () => {
  for (const profile of Object.values(PRESETS)) {
    it(`preset ${profile.name}: mixed sequences conform`, async (ctx) => {
      await runDomain(ctx, await setupFor(profile), { mix: MIXED, numRuns: 60, maxLength: 60 });
    });
  }
});

describe('§4 open-question variants on the emulator', () => {
  for (const profile of variantProfiles(upstream)) {
    it(`variant ${profile.name}: mixed sequences conform`, async (ctx) => {
      await runDomain(ctx, await setupFor(profile), { mix: MIXED, numRuns: 12, maxLength: 50 });
    });
  }
});
