/**
 * Why this test? A remote run takes its profile from the agent's probe. When the emulator and the
 * native target filled an untyped probe with different keys and types, an agent serving the
 * emulator under uffd-v2 derived uffd off, and the run failed UFD-1 where the same profile passed
 * locally. Now both fill one typed ProbeResult: under every preset, a run through an
 * emulator-backed agent, with the profile derived from the agent's probe alone, must conform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { inProcessBackend } from '../../../adapters/remote/index.js';
import { MIXED } from '../../../models/generate/mixes.js';
import { setupTarget } from '../../../cli/targets.js';
import { startAgent, TOKEN } from './_support/agents.js';
import { opsOf, verdictOf } from './_support/verdict.js';

describe('remote runs against an emulator-backed agent, profile derived from its probe', () => {
  const before = process.env['GMEMCHECK_TOKEN'];
  beforeAll(() => { process.env['GMEMCHECK_TOKEN'] = TOKEN; });
  afterAll(() => {
    if (before === undefined) delete process.env['GMEMCHECK_TOKEN'];
    else process.env['GMEMCHECK_TOKEN'] = before;
  });
  it.each(Object.keys(PRESETS))('preset %s: mixed sequences conform', async (name) => {
    const preset = PRESETS[name]!;
    const agent = await startAgent(inProcessBackend('emulator', async (seed) => createEmulator({ profile: preset, seed })));
    try {
      const r = await setupTarget('remote', { url: agent.url, expectBackend: 'emulator' });
      if (!r.ok) throw new Error(r.reason);
      // Everything that changes behaviour is derived, not defaulted to linux-6.18's answer.
      expect(r.setup.profile.features).toEqual(preset.features);
      const v = await verdictOf(r.setup, MIXED, 15, 20261203, 40);
      expect(v).toMatchObject({ pass: true });
      expect(opsOf(v), 'a run that checked nothing is not a pass').toBeGreaterThan(100);
    } finally {
      await agent.close();
    }
  }, 60_000);
});
