/**
 * set_mempolicy_home_node on guest_memfd, where the host kernel cannot run it: the emulator's
 * answers, as worked out from mm/mempolicy.c set_mempolicy_home_node and mbind_range (v7.2), each
 * judged by the spec — on 6.18 (VMA policies only, POL-1′) and with the shared gmem policy of
 * ≥6.19 (P-POL-SCOPE=INODE): a mapping whose VMA has no policy of its own is skipped (ENOENT) even
 * though get_mempolicy reports the inode's. And the padded memslot call on a gmem slot (SLOT-20).
 * The memfd scenarios of the native test run here too, judged on every profile that has memfd.
 */
import { describe, expect, it } from 'vitest';
import { linux618, linux618NoGmem, resolveProfile } from '../../../spec/profiles/index.js';
import { GMEM_FLAG, MEM, MPOL, err, ok, type Op } from '../../../spec/vocab/index.js';
import { gmem, judged, load, MI, mmap, P, slot, store, vm, withProfile } from './_fixtures.js';
import { home, homeNodeScenario, memslotPadScenario } from '../native/_homeslot-scenario.js';

const INODE = withProfile({ variants: { polScope: 'INODE' } });
const mb = (map: number, offset: bigint, length: bigint, mode: number): Op => ({ kind: 'mbind', map, offset, length, mode: BigInt(mode), nodes: 1n, flags: 0 });
const gp = (map: number): Op => ({ kind: 'getMempolicy', map, offset: 0n, query: 'ADDR' });
const sm = (map: number, offset: bigint): Op => ({ kind: 'smaps', map, offset });
const bounds = (o: unknown): [bigint, bigint] => {
  const v = (o as { value: { start: bigint; end: bigint } }).value;
  return [v.start, v.end];
};

describe('set_mempolicy_home_node on guest_memfd (POL-23)', () => {
  it('6.18: ENOENT without a VMA policy, 0 on BIND, EOPNOTSUPP on PREFERRED; the home node splits the VMA', async () => {
    const got = await judged(linux618, [vm(), gmem(), mmap(0), home(0, 0n, 4n * P), mb(0, 0n, 2n * P, MPOL.BIND), home(0, P, P), sm(0, 0n), sm(0, P),
      mb(0, 2n * P, P, MPOL.PREFERRED), home(0, 0n, 4n * P), home(0, 0n, P, 1n), home(0, 0n, P, 0n, 1n << 32n)]);
    expect(got[3]).toEqual(err('ENOENT'));
    expect(got[5]).toEqual(ok());
    expect([bounds(got[6]), bounds(got[7])]).toEqual([[0n, P], [P, 2n * P]]);
    expect(got.slice(9)).toEqual([err('EOPNOTSUPP'), err('EINVAL'), err('EINVAL')]);
  });

  it('shared gmem policy: the inode\'s BIND shows through a second mapping, whose VMA has none: ENOENT there, 0 where mbind ran', async () => {
    const got = await judged(INODE, [vm(), gmem(), mmap(0), mmap(1), mb(0, 0n, 4n * P, MPOL.BIND), gp(1), home(1, 0n, 4n * P), home(0, 0n, 4n * P)]);
    expect(got.slice(5)).toEqual([ok({ mode: MPOL.BIND, nodes: 1n }), err('ENOENT'), ok()]);
  });

  it('the memfd scenario is allowed on every profile with memfd, and the padded gmem slot answers as the unpadded one', async () => {
    for (const p of [linux618, linux618NoGmem, INODE]) {
      await judged(p, homeNodeScenario());
      await judged(p, memslotPadScenario());
    }
    const padded: Op = { kind: 'setMemoryRegionPad', vm: 0, slot: 0, flags: MEM.GUEST_MEMFD, gpa: 0n, size: P, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: 0n, pad1: 2 ** 32 - 1, pad2: [1n << 63n, 1n << 32n] };
    const seq = (pads: boolean): Op[] => {
      const pad = (o: Op): Op => (pads ? o : { ...o, pad1: 0, pad2: [] } as Op);
      return [vm(), gmem(), pad(padded), slot(0, 0, 0n, P, 0), pad({ ...padded, slot: 1, gpa: 1n << 20n, gmemOffset: P }), pad({ ...padded, size: 0n })];
    };
    const got = await judged(linux618, seq(true));
    expect(got.slice(2)).toEqual([ok(), err('EINVAL'), ok(), ok()]);
    expect(await judged(linux618, seq(false))).toEqual(got);
  });
});

describe('a plain memslot on a guest_memfd mapping (SLOT-28)', () => {
  const plain: Op = { kind: 'setMemoryRegion', vm: 0, v1: false, slot: 0, flags: 0, gpa: 0n, size: 2n * P, uaddr: { kind: 'map', map: 0, offset: 0n }, gmem: { kind: 'notOpen' }, gmemOffset: 0n };
  const ga = (gpa: bigint, write = false, value = 0): Op => ({ kind: 'guestAccess', vm: 0, gpa, write, value });

  it('upstream: shared pages are served through GUP of the mapping: the guest sees the host\'s bytes and the host sees the guest\'s', async () => {
    const got = await judged(resolveProfile('upstream'), [vm(), gmem(0, 4n * P, MI), mmap(), store(0, 5n, 0xab), plain, ga(5n), ga(P + 7n, true, 0x42), load(0, P + 7n)]);
    expect(got.slice(4)).toEqual([ok(), ok({ value: 0xab }), ok({ value: 0x42 }), ok({ value: 0x42 })]);
  });

  it('NO_DIRECT_MAP: GUP refuses the mapping, so every guest access through the slot is EFAULT while the host still reads and writes it', async () => {
    const got = await judged(resolveProfile('no-direct-map-v12'), [vm(), gmem(0, 4n * P, MI | GMEM_FLAG.BIT2), mmap(), store(0, 5n, 0xab), plain, ga(5n), ga(P, true, 1), load(0, 5n)]);
    expect(got.slice(4)).toEqual([ok(), err('EFAULT'), err('EFAULT'), ok({ value: 0xab })]);
  });
});
