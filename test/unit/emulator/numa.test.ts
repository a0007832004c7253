/**
 * The NUMA ops on guest_memfd, where the host kernel cannot run them: the emulator's answers,
 * stated here as worked out from fs/proc/task_mmu.c show_numa_map and mm/mempolicy.c
 * do_get_mempolicy, each judged by the spec — on 6.18 (no policy hooks: the VMA's own policy, POL-1′)
 * and with the shared gmem policy of ≥6.19 (P-POL-SCOPE=INODE: the policy set through another
 * mapping shows, POL-1).
 */
import { describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { err, ok, type Op } from '../../../spec/vocab/index.js';
import { gmem, judged, mmap, P, store, vm, withProfile } from './_fixtures.js';

const INODE = withProfile({ variants: { polScope: 'INODE' } });
const GMEMFS = withProfile({ variants: { polScope: 'INODE', fsMagic: 'GMEMFS' } });
const gf = (flags: bigint, map = 0, offset = 0n): Op => ({ kind: 'getMempolicyFlags', map, offset, flags });
const nm = (map: number, offset = 0n): Op => ({ kind: 'numaMaps', map, offset });
const mb = (map: number, offset: bigint, length: bigint, mode: number): Op => ({ kind: 'mbind', map, offset, length, mode: BigInt(mode), nodes: 1n, flags: 0 });
const line = (start: bigint, policy: string, pages: number, file = 'anon_inode:[kvm-gmem]') => ok({ start, policy, file, pages, anon: 0, n0: pages });

describe('get_mempolicy flags and numa_maps on guest_memfd', () => {
  it('POL-22: the flags word is checked whole, bits 31, 32 and 63 included; ADDR answers as getMempolicy', async () => {
    const got = await judged(linux618, [vm(), gmem(), mmap(), gf(2n), gf(3n), gf(4n), gf(6n), gf(0n), gf(1n), gf((1n << 32n) | 2n), gf((1n << 63n) | 2n), gf((1n << 31n) | 2n), gf(2n, 0, 4n * P)]);
    expect(got.slice(3)).toEqual([ok({ mode: 0, nodes: 0n }), ok({ node: 0 }), ok({ mode: 0, nodes: 1n }), err('EINVAL'), err('EINVAL'), err('EINVAL'),
      err('EINVAL'), err('EINVAL'), err('EINVAL'), err('EFAULT')]);
  });

  it('POL-24 (6.18): the VMA\'s own policy, the task policy where it has none, mapped pages; another mapping has no policy', async () => {
    const got = await judged(linux618, [vm(), gmem(), mmap(0), mmap(1), store(0, 0n, 1), nm(0), mb(0, 2n * P, 2n * P, 2), nm(0, 2n * P), nm(1),
      { kind: 'setMempolicy', mode: 2, nodes: 1n }, nm(1), nm(0), nm(0, 4n * P)]);
    expect(got.slice(5)).toEqual([line(0n, 'default', 1), ok(), line(2n * P, 'bind:0', 0), line(0n, 'default', 0), ok(), line(0n, 'bind:0', 0), line(0n, 'bind:0', 1), ok(null)]);
  });

  it('POL-24 (shared gmem policy): a policy set through another mapping shows at the VMA start; the name is the gmem filesystem\'s', async () => {
    const got = await judged(INODE, [vm(), gmem(), mmap(0), mmap(1), mb(1, 0n, P, 5), nm(0), nm(1)]);
    expect(got.slice(5)).toEqual([line(0n, 'prefer (many):0', 0), line(0n, 'prefer (many):0', 0)]);
    const fs = await judged(GMEMFS, [vm(), gmem(), mmap(0), nm(0)]);
    expect(fs[3]).toEqual(line(0n, 'default', 0, '/[kvm-gmem]\\040(deleted)'));
  });
});

describe('move_pages on guest_memfd', () => {
  const mv = (offset: bigint, pages: number, move = false, node = 0, flags = 0): Op => ({ kind: 'movePages', map: 0, offset, pages, move, node, flags });
  it('POL-20 (6.18): a page faulted in is on node 0, one never faulted has no PTE, past the mapping no VMA; moving to node 0 moves nothing', async () => {
    const got = await judged(linux618, [vm(), gmem(), mmap(0), store(0, 0n, 1), mv(0n, 6), mv(0n, 2, true, 0, 2), mv(0n, 2, true, 1, 2), mv(0n, 1, false, 0, 1)]);
    expect(got.slice(4)).toEqual([ok({ status: [0, 'ENOENT', 'ENOENT', 'ENOENT', 'EFAULT', 'EFAULT'] }), ok({ status: [0, 'ENOENT'] }), err('ENODEV'), err('EINVAL')]);
  });
});
