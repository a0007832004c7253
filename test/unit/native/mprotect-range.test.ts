/**
 * mprotect of a range (MAP-19, docs/kernel-surface.md E07) on this machine's kernel, through the
 * native target on memfd (the VMA split and the prot checks are generic; gmem differs only by
 * EACCES for PROT_EXEC, MAP-3, which needs a guest_memfd kernel): the argument checks in
 * do_mprotect_pkey's order, a range in the middle (the VMA splits on both sides), PROT_NONE on one
 * page, a range past the end (ENOMEM after the change), one below the mapping, then accesses, GUP,
 * mlock, POPULATE, smaps and PROCMAP_QUERY per VMA — each step judged by the spec
 * (linux-6.18-nogmem), and the C reproducer replaying the same steps. Then the address
 * confinement: a huge range never reaches memory the suite did not map.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches, st, ld } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';

const P = 4096n;
const mp = (map: number, offset: bigint, length: bigint, prot: bigint): Op => ({ kind: 'mprotectRange', map, offset, length, prot });
const sm = (map: number, offset: bigint): Op => ({ kind: 'smaps', map, offset });
const pq = (map: number, offset: bigint, queryFlags: bigint): Op => ({ kind: 'procmapQuery', map, offset, size: 104n, queryFlags, nameSize: 0, buildId: 'none', tail: false });

const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 16n * P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8n * P, prot: 3n, shared: true },
  st(0, 0n, 1), st(0, 3n * P, 3), st(0, 6n * P, 6),
  // The argument checks: GROWSDOWN|GROWSUP, an unaligned start, a zero length, a length that
  // rounds to 0 (ENOMEM), unknown bits (31, 32, 63), GROWSDOWN and GROWSUP on a file VMA, PROT_SEM.
  mp(0, 0n, P, 0x3000001n), mp(0, 1n, P, 1n), mp(0, 0n, 0n, 1n), mp(0, 0n, (1n << 64n) - 1n, 1n),
  mp(0, 0n, P, 1n | (1n << 31n)), mp(0, 0n, P, 1n | (1n << 32n)), mp(0, 0n, P, 1n | (1n << 63n)),
  mp(0, 0n, P, 0x1000001n), mp(0, 0n, P, 0x2000001n), mp(0, 0n, P, 3n | 8n),
  // Pages 2..3 read-only: the VMA splits on both sides; stores fault there only.
  mp(0, 2n * P, 2n * P, 1n),
  st(0, P, 9), st(0, 2n * P, 9), st(0, 3n * P, 9), st(0, 4n * P, 9), ld(0, 3n * P),
  sm(0, 0n), sm(0, 2n * P), sm(0, 4n * P),
  // PROCMAP_QUERY for a writable VMA from page 2 (COVERING_OR_NEXT): the one at page 4.
  pq(0, 2n * P, 0x12n), pq(0, 2n * P, 0x2n), pq(0, 2n * P, 0x11n),
  // Page 5 PROT_NONE: loads fault there, GUP stops there, mlock and POPULATE refuse there.
  mp(0, 5n * P, P, 0n), ld(0, 5n * P), ld(0, 4n * P),
  { kind: 'kernelAccess', map: 0, offset: 4n * P, len: 2 * 4096, call: 'process_vm_readv', value: 0 },
  { kind: 'madvise', map: 0, offset: 4n * P, length: 2n * P, advice: 'POPULATE_READ' },
  { kind: 'mlock', map: 0, offset: 4n * P, length: 2n * P, call: 'MLOCK', flags: 0 },
  sm(0, 4n * P), sm(0, 5n * P),
  // Past the end: pages 6..7 change, then the hole's ENOMEM.
  mp(0, 6n * P, 4n * P, 1n), st(0, 6n * P, 5), st(0, 7n * P, 5), ld(0, 7n * P),
  // Below the mapping: no VMA there, nothing of the mapping changes.
  mp(0, -P, 2n * P, 0n), ld(0, 0n), st(0, 0n, 2),
  // PROT_EXEC on memfd (VM_MAYEXEC): accepted.
  mp(0, 0n, P, 5n), ld(0, 0n), st(0, 0n, 3), sm(0, 0n),
  // A piece cut off by munmapPart keeps its pages' protections.
  { kind: 'munmapPart', map: 0, offset: P, length: P, id: 1 }, st(1, 0n, 4), st(1, 2n * P, 4), ld(1, 3n * P), sm(1, 0n),
  // The whole-mapping mprotect clears the runs.
  { kind: 'mprotect', map: 1, prot: 3n }, st(1, 0n, 4), st(1, 3n * P, 4), st(1, 5n * P, 4), sm(1, 0n),
  // A dead handle.
  mp(7, 0n, P, 1n),
];

describeNative('mprotect of a range on this kernel (memfd, judged by the spec)', () => {
  it('every check, split and access answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome);
    const all = text.join('\n');
    // The checks: EINVAL for both GROWS bits, the unaligned start, bits 31/32/63 and GROWS alone; ENOMEM for the wrap.
    expect(text.slice(5, 15)).toEqual(['errno EINVAL', 'errno EINVAL', 'ok', 'errno ENOMEM', 'errno EINVAL', 'errno EINVAL', 'errno EINVAL', 'errno EINVAL', 'errno EINVAL', 'ok']);
    // The split: a store faults on pages 2..3 only, and smaps shows three VMAs.
    expect(all).toContain('SIGSEGV/SEGV_ACCERR at map offset 0x2000');
    expect(all).toMatch(/start:0x2000, end:0x4000, perms:r--s/);
    expect(all).toMatch(/start:0x0, end:0x2000, perms:rw-s/);
    // PROT_NONE: the load faults, GUP reads one page, POPULATE is EINVAL and mlock ENOMEM after page 4.
    expect(all).toContain('SIGSEGV/SEGV_ACCERR at map offset 0x5000');
    expect(all).toContain('ok {count:4096');
    expect(all).toContain('perms:---s');
    // Past the end: the change happened before the ENOMEM.
    expect(all).toContain('SIGSEGV/SEGV_ACCERR at map offset 0x7000');
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('mprotect-range', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });

  it('a range past the mapping never changes memory the suite did not map (dead zone, or the hole answered unissued)', async () => {
    // Two mappings the kernel may place side by side; a range of map 0 long enough to cover map 1
    // (and V8's heap) must leave map 1 writable and this process alive.
    const ops: Op[] = [
      { kind: 'createMemfd', id: 0, size: 4n * P },
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true },
      { kind: 'mmap', fd: 0, id: 1, offset: 0n, length: 4n * P, prot: 3n, shared: true },
      mp(0, 0n, 1n << 40n, 0n), mp(0, 0n, 1n << 46n, 0n), mp(0, -(1n << 30n), 1n << 31n, 0n), mp(0, -(1n << 45n), 1n << 46n, 0n),
      st(1, 0n, 1), st(1, 3n * P, 2), ld(0, 0n),
    ];
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome);
    expect(text.slice(3, 7)).toEqual(['errno ENOMEM', 'errno ENOMEM', 'errno ENOMEM', 'errno ENOMEM']);
    // Map 0's own page did change (PROT_NONE), map 1 did not.
    expect(text.slice(7)).toEqual(['ok', 'ok', 'SIGSEGV/SEGV_ACCERR at map offset 0x0']);
  });
});
