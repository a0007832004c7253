/**
 * The procfs query ioctls on this machine's kernel (MAP-40 PAGEMAP_SCAN, MAP-42 PROCMAP_QUERY),
 * through the native target on memfd (the gmem answers rest on kernel source:
 * spec/catalogue/surface-procobs-rules.ts): argument checks with edge sizes and bits 31/32/63,
 * categories after faults, a private copy, a guard page and DONTNEED, the region limits, the VMA
 * record with its name and build id, queries outside the mapping, /proc/self/map_files — each step judged by the spec
 * (linux-6.18-nogmem).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, PAGE_IS, type Op } from '../../../spec/vocab/index.js';
import { mf, pq, scan } from '../../support/procobs-ops.js';
import { spawnSync } from 'node:child_process';
import { describeNative, runOps, specMismatches, st, ld, madv } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';

const P = 4096n;

const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 8n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true },
  // Argument checks first: size, flag bits, category bits (bit 9, 31, 32, 63), alignment, vec.
  scan({ size: 95n }), scan({ size: 97n }), scan({ size: (1n << 32n) | 96n }), scan({ flags: 4n }), scan({ flags: 1n << 63n }),
  scan({ categoryMask: 0x200n }), scan({ returnMask: 1n << 32n }), scan({ categoryAnyof: 1n << 31n }), scan({ categoryInverted: 1n << 63n }),
  scan({ offset: 1n }), scan({ vecNull: true }), scan({ vecNull: true, vecLen: 0n }), scan({ vecLen: (1n << 64n) - 1n }), scan({ vecLen: 1n << 46n }),
  // Nothing faulted yet: no page table, then one page faulted (its neighbours are pte_none: WRITTEN).
  scan(), st(0, P), scan(), st(0, 3n * P), scan({ pages: 4, endExtra: 1 }), scan({ categoryMask: PAGE_IS.PRESENT }),
  scan({ categoryMask: PAGE_IS.PRESENT, categoryInverted: PAGE_IS.PRESENT }), scan({ categoryAnyof: PAGE_IS.FILE | PAGE_IS.GUARD }),
  scan({ returnMask: 0n }), scan({ returnMask: PAGE_IS.PRESENT }), scan({ vecLen: 1n }), scan({ vecLen: 2n }), scan({ maxPages: 1n }), scan({ maxPages: 3n, categoryMask: PAGE_IS.WRITTEN }),
  scan({ vecNull: true, vecLen: 0n }), scan({ vecLen: 0n }), scan({ pages: 0 }),
  // A guard page and DONTNEED.
  madv(0, 2n * P, P, 'GUARD_INSTALL'), scan(), scan({ categoryMask: PAGE_IS.GUARD }), madv(0, 0n, 8n * P, 'DONTNEED'), scan(), madv(0, 2n * P, P, 'GUARD_REMOVE'), scan(),
  // The write-protect flags on a range without async-WP registration: EPERM, skipped.
  scan({ flags: 2n }), scan({ flags: 1n }), scan({ flags: 3n }),
  // A private mapping: an anonymous copy is PRESENT without FILE.
  { kind: 'mmap', fd: 0, id: 1, offset: 4n * P, length: 4n * P, prot: 3n, shared: false },
  ld(1, 0n), st(1, P), scan({ map: 1 }),
  // Past the end of the mapping (the unmapped gap) and below it.
  scan({ offset: 6n * P }), scan({ offset: 8n * P }), scan({ offset: -2n * P }), scan({ offset: 1n << 50n }), scan({ offset: -(1n << 50n) }),
  // PROCMAP_QUERY: sizes, flag bits, the buffer pairs.
  pq({ size: 0n }), pq({ size: 23n }), pq({ size: 4097n }), pq({ size: 1n << 63n }), pq({ size: 112n, tail: true }), pq({ size: 104n, tail: true }), pq({ size: 112n }), pq({ size: 4096n }),
  pq({ queryFlags: 0x40n }), pq({ queryFlags: 1n << 31n }), pq({ queryFlags: 1n << 32n }), pq({ queryFlags: 1n << 63n }),
  pq({ buildId: 'sizeOnly' }), pq({ buildId: 'addrOnly' }), pq({ size: 88n, nameSize: 27 }), pq({ size: 84n, nameSize: 27 }),
  // The record: cut by the size, with the name (exact, one short, large), the build id.
  pq(), pq({ size: 24n }), pq({ size: 40n }), pq({ size: 56n }), pq({ size: 64n }), pq({ size: 96n, nameSize: 256 }),
  pq({ nameSize: 27 }), pq({ nameSize: 26 }), pq({ nameSize: 1 }), pq({ nameSize: 0xffffffff }),
  pq({ offset: 3n * P, buildId: 'buffer' }), pq({ offset: 3n * P, size: 100n, buildId: 'buffer' }), pq({ map: 1, buildId: 'buffer' }),
  // Flags that select or skip the VMA; outside the mapping.
  pq({ queryFlags: 0x20n }), pq({ queryFlags: 0x0bn }), pq({ queryFlags: 0x04n }), pq({ queryFlags: 0x14n }), pq({ map: 1, queryFlags: 0x08n }),
  pq({ offset: 8n * P }), pq({ offset: 8n * P, queryFlags: 0x10n }), pq({ offset: -P }), pq({ offset: -P, queryFlags: 0x10n, nameSize: 64 }),
  // A VMA split by mlock: the record is the locked part.
  { kind: 'mlock', map: 0, offset: 2n * P, length: P, call: 'MLOCK', flags: 0 }, pq({ offset: 2n * P }), pq({ offset: 5n * P }),
  // /proc/self/map_files (root): the link, opening it (memfd: a new open file), past the mapping, a private mapping.
  mf('readlink'), mf('openRdonly'), mf('openRdwr'), mf('openPath'), mf('readlink', { offset: 8n * P }), mf('openRdwr', { offset: -P }), mf('readlink', { map: 1, offset: P }),
  // Page 0 in the page cache: the build id is asked for, and the parse finds no ELF image (size 0).
  st(0, 0n), pq({ buildId: 'buffer' }), pq({ offset: 3n * P, buildId: 'buffer', nameSize: 64 }),
  { kind: 'munmap', map: 1 }, pq({ map: 1 }), scan({ map: 1 }),
];

describeNative('the procfs query ioctls on this kernel (memfd, judged by the spec)', () => {
  it('every PAGEMAP_SCAN and PROCMAP_QUERY step answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    const bad = specMismatches(linux618NoGmem, ops, observed);
    expect(bad).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    // The paths really ran: every argument check, the categories, the limits, the record and its cuts.
    for (const e of ['EINVAL', 'EFAULT', 'EPERM', 'E2BIG', 'ENAMETOOLONG', 'ENOENT']) expect(text).toContain(`errno ${e}`);
    expect(text).toContain('ok {regions:[[0x0,0x4000,0]], walkEnd:0x4000}'); // no page table yet
    expect(text).toContain('ok {regions:[[0x0,0x1000,2],[0x1000,0x2000,14],[0x2000,0x4000,2]], walkEnd:0x4000}'); // pte_none WRITTEN, a file page
    expect(text).toContain('[0x2000,0x3000,274]'); // a guard marker
    expect(text).toContain('ok {regions:[[0x0,0x1000,14],[0x1000,0x2000,10],[0x2000,0x4000,2]], walkEnd:0x4000}'); // a private copy: no FILE
    expect(text).toContain('ok {regions:[[0x0,0x1000,2]], walkEnd:0x1000}'); // vec_len 1 / max_pages 1
    expect(text).toContain('ok {start:0x0, end:0x8000, flags:0xb, pageSize:4096, offset:0x0, name:/memfd:gmemcheck (deleted), buildIdSize:0}');
    expect(text).toContain('ok {start:0x0, end:0x8000, flags:null, pageSize:null, offset:null, name:null, buildIdSize:null}');
    expect(text).toContain('ok {start:0x2000, end:0x3000, flags:0xb, pageSize:4096, offset:0x2000, name:null, buildIdSize:0}');
    expect(formatOutcome(observed[ops.length - 4]!)).toContain('offset:0x3000, name:/memfd:gmemcheck (deleted), buildIdSize:skipped'); // the VMA does not start at file page 0
    expect(text).toContain('ok elsewhere');
    expect(text).toContain('ok {link:/memfd:gmemcheck (deleted)}');
    expect(formatOutcome(observed[ops.length - 5]!)).toBe('ok {start:0x0, end:0x2000, flags:0xb, pageSize:4096, offset:0x0, name:null, buildIdSize:0}');
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('procobs', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });
});
