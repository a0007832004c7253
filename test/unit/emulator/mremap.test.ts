/**
 * mremap (MAP-10, MAP-21) on the emulator, judged by the spec: the guest_memfd answers this host
 * cannot show (no guest_memfd here) — a gmem mapping grown past EOF, the VM_DONTEXPAND proposal
 * (P-VMA-EXPAND DENY: a grow or a duplicate EFAULT, DONTUNMAP EINVAL, a shrink or a plain move
 * still fine) — and the uffd registration a move drops (EVENT_REMAP is never enabled), plus the
 * populate charge a growth takes in adapters/limits.ts (and the length it knows a munmapPart piece by).
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { limitedTarget, populates } from '../../../adapters/limits.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { LINUX_618, P, bus, errno, gmem, judged, load, lv, mmap, okv, vm, withProfile } from './_fixtures.js';

type To = { kind: 'any' } | { kind: 'over'; map: number };
const remap = (m: number, id: number, newLength: bigint, flags: bigint, to: To = { kind: 'any' }, oldSize: 'whole' | 'zero' = 'whole'): Op =>
  ({ kind: 'mremap', map: m, id, oldSize, newLength, flags, to });
const moved = (v: boolean) => okv({ moved: v });
const DENY = withProfile({ variants: { vmaExpand: 'DENY' } });

describe('emulator: mremap of guest_memfd mappings', () => {
  it('a gmem VMA grows in place past EOF (the new part SIGBUS), shrinks, duplicates and moves (P-VMA-EXPAND ALLOW)', async () => {
    const out = await judged(LINUX_618, [
      vm(), gmem(0, 4n * P), mmap(0, 0, 2n * P),
      remap(0, 1, 8n * P, 0n), load(1, 3n * P), load(1, 4n * P),
      remap(1, 2, P, 0n), load(2, P),
      remap(2, 3, 2n * P, 1n, { kind: 'any' }, 'zero'), remap(2, 4, P, 5n), load(4, 0n),
    ]);
    expect(out.slice(3)).toEqual([moved(false), lv(0), bus(4n * P), moved(false), { kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset: P }, moved(true), moved(true), lv(0)]);
  });

  it('under the VM_DONTEXPAND proposal a grow or a duplicate is EFAULT and DONTUNMAP EINVAL; a shrink or a move is not affected', async () => {
    const out = await judged(DENY, [
      vm(), gmem(0, 4n * P), mmap(0, 0, 2n * P), mmap(1, 0, 2n * P),
      remap(0, 2, 4n * P, 1n), remap(0, 3, 2n * P, 1n, { kind: 'any' }, 'zero'), remap(0, 4, 2n * P, 5n),
      remap(0, 5, 2n * P, 3n, { kind: 'over', map: 1 }), remap(5, 6, P, 0n),
    ]);
    expect(out.slice(4)).toEqual([errno('EFAULT'), errno('EFAULT'), errno('EINVAL'), moved(true), moved(false)]);
  });
});

describe('emulator: a move drops the uffd registration', () => {
  it('after MREMAP_DONTUNMAP the new mapping faults normally, the old one still userfaults', async () => {
    const ops: Op[] = [
      { kind: 'createMemfd', id: 0, size: 4n * P }, mmap(0, 0, 2n * P),
      { kind: 'uffdCreate', id: 0, features: 0n }, { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 2n * P, mode: 1n },
      remap(0, 1, 2n * P, 5n), load(1, 0n), load(0, P),
    ];
    const out = await judged(LINUX_618, ops);
    expect(out[4]).toEqual(moved(true));
    expect(out[5]).toEqual(lv(0));
    expect(out[6]).not.toEqual(lv(0));
  });
});

describe('limits: what an mremap may make the kernel populate', () => {
  it('a growth is charged by the bytes it adds (a VM_LOCKED VMA populates them); a refused length, a shrink or a dead map by nothing', () => {
    const op = (newLength: bigint, oldSize: 'whole' | 'zero' = 'whole') => remap(0, 1, newLength, 1n, { kind: 'any' }, oldSize) as Extract<Op, { kind: 'mremap' }>;
    const len = () => 2n * P;
    expect(populates(op(8n * P), len)).toBe(6n * P);
    expect(populates(op(8n * P, 'zero'), len)).toBe(8n * P);
    expect(populates(op(P), len)).toBe(0n);
    expect(populates(op(0n), len)).toBe(0n);
    expect(populates(op((1n << 64n) - 1n), len)).toBe(0n);
    expect(populates(op(1n << 40n), len)).toBe((1n << 40n) - 2n * P);
    expect(populates(op(8n * P), () => 0n)).toBe(0n);
  });
});

describe('limits: a piece of a partial munmap is charged by its own length', () => {
  it('a populate or a growth of the piece after the range is charged by that piece, not by the range that made it', async () => {
    const MiB = 1n << 20n;
    const where = { vms: 'vms', fds: 'fds', maps: 'maps', populateBytes: 'bytes' };
    const t = limitedTarget(createEmulator({ profile: LINUX_618, seed: 1 }), { vms: 8, fds: 8, maps: 8, populateBytes: MiB }, where);
    try {
      await t.apply({ kind: 'createMemfd', id: 0, size: 8n * P });
      await t.apply(mmap(0, 0, 16n * MiB));
      // The range is 16 MiB − 4 pages: the piece after it (map 1) is 4 pages long.
      expect(await t.apply({ kind: 'munmapPart', map: 0, offset: 0n, length: 16n * MiB - 4n * P, id: 1 })).toEqual(okv());
      // Run, not refused (the piece lies past EOF: the populate fails in the kernel, EFAULT).
      expect(await t.apply({ kind: 'madvise', map: 1, offset: 0n, length: 16n * MiB, advice: 'POPULATE_WRITE' })).toEqual(errno('EFAULT'));
      expect(await t.apply(remap(1, 2, 5n * P, 0n))).toEqual(moved(false));
    } finally {
      await t.close();
    }
  });
});
