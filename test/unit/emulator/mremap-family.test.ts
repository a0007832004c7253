/**
 * MAP-25 (naming a VMA) and MAP-29 (the EINVAL of MADV_POPULATE_* on a VMA its permission check
 * refuses) on the emulator, on guest_memfd mappings, judged by the spec under every preset. The
 * emulator models a kernel built with CONFIG_ANON_VMA_NAME, so a name over a gmem VMA is EBADF.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../../spec/profiles/index.js';
import type { Op } from '../../../spec/vocab/index.js';
import { GMEM_FLAG } from '../../../spec/vocab/index.js';
import { LINUX_618, P, errno, gmem, judged, mmap, okv, vm } from './_fixtures.js';

const populate = (map: number, advice: 'POPULATE_READ' | 'POPULATE_WRITE'): Op => ({ kind: 'madvise', map, offset: 0n, length: P, advice });
const name = (map: number, offset: bigint, length: bigint, n: 'null' | 'valid' | 'badChar' | 'tooLong'): Op => ({ kind: 'setVmaName', map, offset, length, name: n });

describe('emulator: MAP-25 and MAP-29 on guest_memfd mappings', () => {
  it('a gmem VMA cannot be named: EBADF after the name and range checks; past the map ENOMEM; empty 0', async () => {
    const out = await judged(LINUX_618, [
      vm(), gmem(), mmap(),
      name(0, 0n, P, 'valid'), name(0, 0n, P, 'null'), name(0, 0n, P, 'badChar'), name(0, 0n, P, 'tooLong'),
      name(0, 1n, P, 'valid'), name(0, 0n, 0n, 'valid'), name(0, 8n * P, P, 'valid'), name(0, 0n, (1n << 64n) - 1n, 'valid'),
      { kind: 'munmap', map: 0 }, name(0, 0n, P, 'valid'),
    ]);
    expect(out.slice(3)).toEqual([errno('EBADF'), errno('EBADF'), errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), okv(), errno('ENOMEM'), errno('EINVAL'), okv(), errno('EFAULT')]);
  });

  it('POPULATE on PROT_NONE, PROT_WRITE-only read and PROT_READ write: EINVAL; on a private-only file a permitted populate: EFAULT', async () => {
    const ops: Op[] = [
      vm(), gmem(), mmap(0, 0, 4n * P, 0n, 0), populate(0, 'POPULATE_READ'), populate(0, 'POPULATE_WRITE'),
      mmap(1, 0, 4n * P, 0n, 1), populate(1, 'POPULATE_WRITE'), populate(1, 'POPULATE_READ'),
      mmap(2, 0, 4n * P, 0n, 2), populate(2, 'POPULATE_READ'),
      gmem(1, 4n * P, GMEM_FLAG.MMAP), mmap(3, 1, 4n * P, 0n, 1), populate(3, 'POPULATE_READ'), populate(3, 'POPULATE_WRITE'),
    ];
    for (const profile of Object.values(PRESETS).filter((p) => p.caps.guestMemfd !== 0)) {
      const out = await judged(profile, ops);
      expect([3, 4, 6, 9, 13].map((i) => out[i]), profile.name).toEqual(Array(5).fill(errno('EINVAL')));
    }
    const out = await judged(LINUX_618, ops);
    expect(out[7]).toEqual(okv());
    expect(out[12]).toEqual(errno('EFAULT'));
  });
});
