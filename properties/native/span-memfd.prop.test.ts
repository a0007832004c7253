/**
 * spanRange (MAP-26) against this kernel on memfd: a mix that maps memfds, spans their tails and
 * the anonymous pages after them with madvise, mprotect and mlock, and touches, punches and
 * observes them, judged by the spec under linux-6.18-nogmem.
 */
import { describe, it } from 'vitest';
import { nativeAvailable } from '../../adapters/native/index.js';
import type { Mix } from '../../models/generate/mixes.js';
import { linux618NoGmem } from '../../spec/profiles/index.js';
import { runDomain, setupFor } from '../_support/run.js';

const SPAN_MEMFD: Mix = {
  createMemfd: 4, mmap: 6, spanRange: 10, load: 4, store: 4, mlock: 1, madvise: 1, mprotectRange: 1, munmap: 1,
  fallocate: 1, ftruncate: 1, mincore: 1,
};

describe('native kernel: range ops spanning a memfd mapping and an anonymous VMA', () => {
  it('every span and what follows it answers as linux-6.18-nogmem allows', async (ctx) => {
    const native = nativeAvailable();
    if (!native.ok) return ctx.skip(native.reason);
    await runDomain(ctx, await setupFor(linux618NoGmem), { mix: SPAN_MEMFD, numRuns: 100, maxLength: 30 });
  });
});
