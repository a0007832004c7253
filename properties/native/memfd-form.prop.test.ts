/**
 * On a kernel built without guest_memfd (the development host since build 1300) the domain
 * properties have nothing to test, but the rest of the vocabulary does: the widened mix in its
 * memfd form (models/generate/mixes.ts MEMFD_MIXED) runs against this kernel under
 * linux-6.18-nogmem, so every generic rule (the kernel-side access paths, futexes, O_DIRECT, the
 * 64-bit words, mm calls on memfd) is checked against a real kernel, and every gmem op against
 * the answers of a kernel without it. Where the kernel has guest_memfd the domain properties run
 * instead, and this says so.
 */
import { describe, it } from 'vitest';
import { guestMemfdAvailable, nativeAvailable } from '../../adapters/native/index.js';
import { MEMFD_MIXED } from '../../models/generate/mixes.js';
import { linux618NoGmem } from '../../spec/profiles/index.js';
import { runDomain, setupFor } from '../_support/run.js';

describe('native kernel without guest_memfd: the widened mix on memfd', () => {
  it('every op answers as linux-6.18-nogmem allows (memfd control backing; gmem ops ENOTTY)', async (ctx) => {
    const native = nativeAvailable();
    if (!native.ok) return ctx.skip(native.reason);
    if (guestMemfdAvailable().ok) return ctx.skip('this kernel has guest_memfd: the domain properties test it instead');
    await runDomain(ctx, await setupFor(linux618NoGmem), { mix: MEMFD_MIXED, numRuns: 150, maxLength: 60 });
  });
});
