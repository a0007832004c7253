/**
 * Races at the syscall boundary: generated parallel cases (a prefix, then 2–3 branches run
 * concurrently) whose outcomes must be explained by some interleaving the spec allows. On the
 * emulator under the presets whose features race (userfaultfd, conversion), both backings mixed;
 * on this machine's kernel on real threads, each case five times, once per backing file: memfd
 * (shmem races are real races) and guest_memfd, which is a skip with the reason on a kernel
 * without it.
 */
import { describe, it } from 'vitest';
import { resolveProfile } from '../../spec/profiles/index.js';
import { runParallelProperty, setupFor, targetKind } from '../_support/run.js';

const kind = targetKind();
const profiles = kind === 'emulator' ? ['linux-6.18', 'uffd-v2', 'conversion-v8'] : ['probed'];

describe(`parallel on ${kind}`, () => {
  for (const name of profiles) {
    if (kind === 'emulator') {
      it(`concurrent branches observe only what some interleaving allows [profile ${name}]`, async (ctx) => {
        await runParallelProperty(ctx, await setupFor(resolveProfile(name), undefined, true), 150, 1);
      });
      continue;
    }
    for (const backing of ['memfd', 'guest_memfd'] as const) {
      it(`concurrent branches observe only what some interleaving allows [profile ${name}, ${backing}]`, async (ctx) => {
        await runParallelProperty(ctx, await setupFor(undefined, undefined, true), 40, 5, backing);
      });
    }
  }
});
