/**
 * One rule domain's targeted property, run on the emulator under each listed preset and on a real
 * kernel under its probed profile. Mix, runs, length and required op kinds come from the table
 * `gmemcheck run` uses too (models/generate/domain-properties.ts).
 */
import { describe, it } from 'vitest';
import { resolveProfile } from '../../spec/profiles/index.js';
import { DOMAIN_PROPERTIES, type RunDomain } from '../../models/generate/domain-properties.js';
import { runDomain, setupFor, targetKind } from './run.js';

/** Profiles for the emulator (preset names, optionally with /P-X=V variants). */
export const domainSuite = (domain: RunDomain, emulatorProfiles: readonly string[]): void => {
  const p = DOMAIN_PROPERTIES.find((x) => x.domain === domain);
  if (!p) throw new Error(`no property for domain ${domain}`);
  const kind = targetKind();
  const profiles = kind === 'emulator' ? emulatorProfiles : ['probed'];
  describe(`${domain} on ${kind}`, () => {
    for (const name of profiles) {
      it(`${p.claim} [profile ${name}]`, async (ctx) => {
        const setup = await setupFor(name === 'probed' ? undefined : resolveProfile(name));
        await runDomain(ctx, setup, { mix: p.mix, numRuns: p.numRuns, maxLength: p.maxLength, requires: p.requires });
      });
    }
  });
};
