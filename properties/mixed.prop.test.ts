/**
 * Long mixed sequences over the whole vocabulary: the deepest states (bound, mapped, policied,
 * registered, converted files interacting) are only reached by mixing every domain.
 */
import { describe, it } from 'vitest';
import { resolveProfile } from '../spec/profiles/index.js';
import { MIXED } from '../models/generate/mixes.js';
import { runDomain, setupFor, targetKind } from './_support/run.js';

const kind = targetKind();
const profiles = kind === 'emulator' ? ['linux-6.18', 'upstream'] : ['probed'];

describe(`long mixed sequences on ${kind}`, () => {
  for (const name of profiles) {
    it(`every observed outcome is allowed over 100-op mixed sequences [profile ${name}]`, async (ctx) => {
      const setup = await setupFor(name === 'probed' ? undefined : resolveProfile(name));
      await runDomain(ctx, setup, { mix: MIXED, numRuns: kind === 'emulator' ? 150 : 120, maxLength: 100 });
    });
  }
});
