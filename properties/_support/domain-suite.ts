/**
 * One rule domain's targeted property, run on the emulator under each listed preset and on a real
 * kernel under its probed profile. The domain's op mix lives in models/generate/mixes.ts.
 */
import { describe, it } from 'vitest';
import type { OpKind } from '../../spec/vocab/index.js';
import { resolveProfile } from '../../spec/profiles/index.js';
import { MIXES, type Domain } from '../../models/generate/mixes.js';
import type { SetupResult } from '../../models/target-setup.js';
import { runDomain, setupFor, targetKind } from './run.js';

export interface DomainSuiteOptions {
  /** Profiles for the emulator (preset names, optionally with /P-X=V variants). */
  readonly emulatorProfiles: readonly string[];
  readonly numRuns: number;
  readonly maxLength: number;
  readonly requires?: readonly OpKind[];
  /** What the property shows, for the test name. */
  readonly claim: string;
}

export const domainSuite = (domain: Domain, o: DomainSuiteOptions): void => {
  const kind = targetKind();
  const profiles = kind === 'emulator' ? o.emulatorProfiles : ['probed'];
  describe(`${domain} on ${kind}`, () => {
    for (const name of profiles) {
      it(`${o.claim} [profile ${name}]`, async (ctx) => {
        const setup: SetupResult = await setupFor(name === 'probed' ? undefined : resolveProfile(name));
        await runDomain(ctx, setup, { mix: MIXES[domain], numRuns: o.numRuns, maxLength: o.maxLength, ...(o.requires ? { requires: o.requires } : {}) });
      });
    }
  });
};
