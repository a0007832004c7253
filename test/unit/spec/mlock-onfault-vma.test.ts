/**
 * VM_LOCKONFAULT is a VMA flag of its own: mlock2(MLOCK_ONFAULT) sets it with VM_LOCKED, a plain
 * mlock sets VM_LOCKED alone, so locking part of an on-fault-locked mapping the plain way splits
 * its VMA (mm/mlock.c apply_vma_lock_flags, mlock_fixup → vma_modify_flags). Found by a 90 s
 * native run on 6.18.44 (memfd, seed 1388580862): PROCMAP_QUERY gave [0, 0x1000) where the spec
 * held the two pages as one VMA. The emulator agrees with the spec.
 */
import { describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/linux-6.18.js';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import { run } from '../emulator/_fixtures.js';
import { specMismatches } from '../native/_support.js';
import { driver, P } from './helpers.js';

const ops = (second: { call: 'MLOCK' | 'MLOCK2'; flags: number }): Op[] => [
  { kind: 'createMemfd', id: 0, size: P },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 2n * P, prot: 3n, shared: true },
  { kind: 'mlock', map: 0, offset: 0n, length: 2n * P, call: 'MLOCK2', flags: 1 },
  { kind: 'mlock', map: 0, offset: 0n, length: P, ...second },
];
const query: Op = { kind: 'procmapQuery', map: 0, offset: 0n, size: 40n, queryFlags: 0n, nameSize: 1, buildId: 'none', tail: false } as Op;
const end = (o: Outcome | undefined): unknown => (o?.kind === 'ok' ? (o.value as { end?: bigint } | null)?.end : undefined);

describe('MAP-23/MAP-42: the two kinds of mlock split a VMA', () => {
  it('mlock of the first page of an ONFAULT-locked mapping: a one-page VMA', async () => {
    const d = driver(linux618);
    for (const op of ops({ call: 'MLOCK', flags: 0 })) d.one(op);
    expect(d.do(query).allowed.map(end)).toEqual([P]);
    const all = [...ops({ call: 'MLOCK', flags: 0 }), query];
    expect(specMismatches(linux618, all, await run(linux618, all))).toEqual([]);
  });
  it('mlock2(ONFAULT) of the first page again: still one VMA of two pages', async () => {
    const d = driver(linux618);
    for (const op of ops({ call: 'MLOCK2', flags: 1 })) d.one(op);
    expect(d.do(query).allowed.map(end)).toEqual([2n * P]);
    const all = [...ops({ call: 'MLOCK2', flags: 1 }), query];
    expect(specMismatches(linux618, all, await run(linux618, all))).toEqual([]);
  });
});
