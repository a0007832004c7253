/**
 * mremap (MAP-10, MAP-21) against this kernel on memfd: a mix that maps memfds, remaps them (grow,
 * shrink, move, DONTUNMAP, duplicate, FIXED over another map), splits them (mlock, madvise,
 * munmapPart), registers them with userfaultfd and touches and observes them, judged by the spec
 * under linux-6.18-nogmem. The widened memfd mix draws mremap too, but mostly on dead gmem maps.
 */
import { describe, it } from 'vitest';
import { nativeAvailable } from '../../adapters/native/index.js';
import type { Mix } from '../../models/generate/mixes.js';
import { linux618NoGmem } from '../../spec/profiles/index.js';
import { runDomain, setupFor } from '../_support/run.js';

const MREMAP_MEMFD: Mix = {
  createMemfd: 4, mmap: 6, mmapEx: 2, mremap: 10, load: 4, store: 4, mlock: 2, munmap: 1, munmapPart: 1, madvise: 2,
  uffdCreate: 1, uffdRegister: 1, smaps: 1, mincore: 1, fallocate: 1, ftruncate: 1,
};

describe('native kernel: mremap of memfd mappings', () => {
  it('every mremap and what follows it answers as linux-6.18-nogmem allows', async (ctx) => {
    const native = nativeAvailable();
    if (!native.ok) return ctx.skip(native.reason);
    await runDomain(ctx, await setupFor(linux618NoGmem), { mix: MREMAP_MEMFD, numRuns: 150, maxLength: 40 });
  });
});
