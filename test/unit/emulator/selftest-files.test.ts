// The upstream guest_memfd_test.c host-side tests (properties/scenarios/UPSTREAM-SELFTESTS.md #1-6, #9, #10, #12-15) as
// emulator scenarios on the linux-6.18 profile.
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { GMEM_FLAG } from '../../../spec/vocab/index.js';
import { bus, errno, falloc, gmem, KEEP, LINUX_618, load, MI, mmap, lv, okv, P, PUNCH, run, store, vm } from './_fixtures.js';

describe('emulator: upstream guest_memfd selftests (host side)', () => {
  it('#1 test_guest_memfd_flags: each bit is accepted iff it is in cap 244', async () => {
    const ops: Op[] = [vm()];
    for (let b = 0n; b < 64n; b += 1n) ops.push(gmem(Number(b), 4n * P, 1n << b));
    const out = await run(LINUX_618, ops);
    out.slice(1).forEach((o, b) => expect(o).toEqual(b < 2 ? okv() : errno('EINVAL')));
  });

  it('#2 test_create_guest_memfd_multiple: independent sizes and inodes', async () => {
    const out = await run(LINUX_618, [vm(), gmem(0, P), gmem(1, 2n * P), { kind: 'fstat', fd: 0 }, { kind: 'fstat', fd: 1 },
      { kind: 'sameInode', fd: 0, other: 1 }]);
    expect(out[3]).toEqual(okv({ size: P, blksize: 4096, mode: 0o100600 }));
    expect(out[4]).toEqual(okv({ size: 2n * P, blksize: 4096, mode: 0o100600 }));
    expect(out[5]).toEqual(okv(false));
  });

  it('#3 test_create_guest_memfd_invalid_sizes: 0, 1..P-1, unaligned and >= 2^63 fail with EINVAL', async () => {
    const sizes = [0n, 1n, P - 1n, P + 1n, 1n << 63n, (1n << 64n) - P];
    const out = await run(LINUX_618, [vm(), ...sizes.map((s, i) => gmem(i, s))]);
    expect(out.slice(1)).toEqual(sizes.map(() => errno('EINVAL')));
    const big = await run(LINUX_618, [vm(), gmem(0, (1n << 63n) - P)]);
    expect(big[1]).toEqual(okv());
  });

  it('#4 test_file_read_write: read/write EINVAL, pread/pwrite/lseek ESPIPE, fsync EINVAL', async () => {
    const calls = ['read', 'write', 'pread', 'pwrite', 'lseek', 'fsync'] as const;
    const out = await run(LINUX_618, [vm(), gmem(), ...calls.map((call): Op => ({ kind: 'fileIo', fd: 0, call, offset: 0n, len: 8, value: 1 }))]);
    expect(out.slice(2)).toEqual(['EINVAL', 'EINVAL', 'ESPIPE', 'ESPIPE', 'ESPIPE', 'EINVAL'].map(errno));
  });

  it('#5 test_mmap_supported: write, punch page 0 → zeroes there, data elsewhere, rewrite works', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), mmap(), store(0, 0n, 0xaa), store(0, P, 0xaa), falloc(0, PUNCH, 0n, P),
      load(0, 0n), load(0, P), store(0, 0n, 0xbb), load(0, 0n)]);
    expect(out.slice(6)).toEqual([lv(0), lv(0xaa), okv(), lv(0xbb)]);
  });

  it('#6 test_fault_overflow: a 4×size mapping SIGBUSes from EOF on, bytes below keep their data', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), mmap(0, 0, 16n * P), store(0, 3n * P, 0xaa), store(0, 4n * P, 1), load(0, 4n * P + 5n), load(0, 3n * P)]);
    expect(out.slice(3)).toEqual([okv(), bus(4n * P), bus(4n * P + 5n), lv(0xaa)]);
  });

  it('#9 test_fault_private: MMAP without INIT_SHARED SIGBUSes on any access, also after fallocate', async () => {
    const out = await run(LINUX_618, [vm(), gmem(0, 4n * P, GMEM_FLAG.MMAP), mmap(), load(0, 0n), falloc(0, KEEP, 0n, 4n * P), store(0, P, 1)]);
    expect(out.slice(3)).toEqual([bus(0n), okv(), bus(P)]);
  });

  it('#10 test_mmap_cow: MAP_PRIVATE fails with EINVAL', async () => {
    const out = await run(LINUX_618, [vm(), gmem(), mmap(0, 0, 4n * P, 0n, 3, false)]);
    expect(out[2]).toEqual(errno('EINVAL'));
  });

  it('#12 test_mmap_not_supported: no MMAP flag → ENODEV for a page and for the whole file', async () => {
    const out = await run(LINUX_618, [vm(), gmem(0, 4n * P, 0n), mmap(0, 0, P), mmap(1, 0, 4n * P), gmem(1, 4n * P, GMEM_FLAG.INIT_SHARED), mmap(2, 1, P)]);
    expect([out[2], out[3], out[5]]).toEqual([errno('ENODEV'), errno('ENODEV'), errno('ENODEV')]);
  });

  it('#14 test_fallocate: allocate, unaligned punch, allocate at EOF, punch past EOF, re-allocate', async () => {
    const size = 4n * P;
    const out = await run(LINUX_618, [vm(), gmem(0, size), falloc(0, KEEP, 0n, size), falloc(0, PUNCH, P - 1n, P),
      falloc(0, KEEP, size, P), falloc(0, KEEP, size + P, P), falloc(0, PUNCH, size, P), falloc(0, PUNCH, size + P, P),
      falloc(0, PUNCH, 0n, P - 1n), falloc(0, PUNCH, 0n, P), falloc(0, KEEP, 0n, P), falloc(0, 0, 0n, P), falloc(0, KEEP, -P, P),
      falloc(0, PUNCH, (1n << 62n), (1n << 62n))]);
    expect(out.slice(2)).toEqual([okv(), errno('EINVAL'), errno('EINVAL'), errno('EINVAL'), okv(), okv(), errno('EINVAL'),
      okv(), okv(), errno('EOPNOTSUPP'), errno('EINVAL'), errno('EFBIG')]);
  });

  it('#15 test_invalid_punch_hole: the ten unaligned (offset, len) pairs → EINVAL', async () => {
    const cases: Array<[bigint, bigint]> = [[0n, 1n], [0n, P - 1n], [0n, P + 1n], [1n, 1n], [1n, P - 1n], [1n, P], [1n, P + 1n],
      [P, 1n], [P, P - 1n], [P, P + 1n]];
    const out = await run(LINUX_618, [vm(), gmem(), ...cases.map(([o, l]) => falloc(0, PUNCH, o, l))]);
    expect(out.slice(2)).toEqual(cases.map(() => errno('EINVAL')));
  });
});
