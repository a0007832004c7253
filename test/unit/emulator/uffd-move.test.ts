/**
 * UFFDIO_MOVE with guest_memfd as source or destination (UFD-23), where the host kernel cannot run
 * it: the emulator's answers, stated here as worked out from mm/userfaultfd.c (move_pages,
 * validate_move_areas), each judged by the spec — under 6.18 (the only registration a gmem VMA
 * takes is WP with WP_ASYNC) and under the uffd-v2 series (a MISSING registration works, the move
 * is still refused: gmem VMAs are shared and not anonymous).
 */
import { describe, expect, it } from 'vitest';
import { linux618, resolveProfile } from '../../../spec/profiles/index.js';
import { err, ok, UFFD_FEATURE, UFFD_MODE, type Op } from '../../../spec/vocab/index.js';
import { gmem, judged, mmap, P, vm } from './_fixtures.js';

const UFFD_V2 = resolveProfile('uffd-v2');
const mv = (srcOffset: bigint, offset: bigint, length = P, mode = 0n, src = 0, map = 0): Op => ({ kind: 'uffdMove', uffd: 0, src, srcOffset, map, offset, length, mode });


describe('UFFDIO_MOVE on guest_memfd', () => {
  it('UFD-23 (6.18): registered WP-async or not, a gmem page never moves; the argument checks come first', async () => {
    const got = await judged(linux618, [vm(), gmem(), mmap(), mmap(1),
      { kind: 'uffdCreate', id: 0, features: UFFD_FEATURE.WP_ASYNC | UFFD_FEATURE.MOVE },
      mv(0n, P), { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 4n * P, mode: UFFD_MODE.WP }, mv(0n, P), mv(0n, P, P, 2n, 1, 0),
      mv(1n, P), mv(0n, P, 0n), mv(0n, P, P, 8n), mv(-(1n << 40n), P), { kind: 'munmap', map: 1 }, mv(0n, P, P, 0n, 1, 0)]);
    expect(got.slice(5)).toEqual([err('EINVAL'), ok(), err('EINVAL'), err('EINVAL'), err('EINVAL'), err('EINVAL'), err('EINVAL'), err('ENOENT'), ok(), err('EFAULT')]);
  });

  it('UFD-23 (uffd-v2): a MISSING-registered gmem range takes UFFDIO_COPY, and still refuses UFFDIO_MOVE', async () => {
    const got = await judged(UFFD_V2, [vm(), gmem(), mmap(), { kind: 'uffdCreate', id: 0, features: UFFD_FEATURE.MOVE },
      { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 4n * P, mode: UFFD_MODE.MISSING },
      mv(P, 0n, P, 2n), { kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill: 3 }, mv(0n, P)]);
    expect(got.slice(4)).toEqual([ok(), err('EINVAL'), ok({ count: 4096 }), err('EINVAL')]);
  });
});
