/**
 * Races at the syscall boundary: generated parallel cases (a prefix, then 2–3 branches run
 * concurrently) whose outcomes must be explained by some interleaving the spec allows. On the
 * emulator under the presets whose features race (userfaultfd, conversion); on this machine's
 * kernel on real threads, each case five times — on memfd only where the kernel has no guest_memfd
 * (shmem races are real races; the test title says which).
 */
import { describe, it } from 'vitest';
import { resolveProfile } from '../../spec/profiles/index.js';
import { runParallelProperty, setupFor, targetKind } from '../_support/run.js';

const kind = targetKind();
const profiles = kind === 'emulator' ? ['linux-6.18', 'uffd-v2', 'conversion-v8'] : ['probed'];

describe(`parallel on ${kind}`, () => {
  for (const name of profiles) {
    it(`concurrent branches observe only what some interleaving allows [profile ${name}]`, async (ctx) => {
      const setup = await setupFor(name === 'probed' ? undefined : resolveProfile(name), undefined, true);
      if (setup.ok && setup.setup.memfdOnly !== undefined) ctx.annotate(`memfd only: ${setup.setup.memfdOnly}`);
      await runParallelProperty(ctx, setup, kind === 'emulator' ? 150 : 80, 5);
    });
  }
});
