/**
 * The post-shrink minimiser drops steps that do not matter, renumbers the handles created after a
 * dropped creation, keeps creations that later steps still use, and never changes the failing rule.
 */
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { lockstep } from '../../../models/lockstep.js';
import { minimise } from '../../../models/minimise.js';
import { SPEC } from '../../../models/spec-api.js';

const Z = [0n, 0n, 0n, 0n, 0n, 0n] as const;
const makeTarget = async (seed: number) => createEmulator({ profile: linux618, seed, bugs: ['punch-no-zero'] });

describe('minimise', () => {
  it('reduces a padded punch-hole failure to its 6 essential steps with renumbered handles', async () => {
    const ops: Op[] = [
      { kind: 'createVm', id: 0, type: 0n },
      { kind: 'createMemfd', id: 0, size: 4096n }, // unused file: fd #0, so the gmem is fd #1
      { kind: 'checkExtension', vm: null, cap: 244n },
      { kind: 'createGmem', vm: 0, id: 1, size: 16384n, flags: 3n, reserved: Z },
      { kind: 'mmap', fd: 1, id: 0, offset: 0n, length: 16384n, prot: 3n, shared: true },
      { kind: 'fstat', fd: 1 },
      { kind: 'store', map: 0, offset: 0n, value: 7, onUserfault: 'COPY', fill: 0 },
      { kind: 'fallocate', fd: 1, mode: 3, offset: 0n, len: 4096n },
      { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 },
    ];
    const r = await lockstep(SPEC, linux618, await makeTarget(1), ops);
    expect(r.failure).toBeDefined();
    const m = await minimise(r.failure!, linux618, makeTarget, 1);
    const kept = m.steps.map((s) => s.op);
    expect(kept.map((o) => o.kind)).toEqual(['createVm', 'createGmem', 'mmap', 'store', 'fallocate', 'load']);
    // The gmem became fd #0 once the unused memfd was dropped.
    expect(kept[1]).toMatchObject({ kind: 'createGmem', id: 0 });
    expect(kept[4]).toMatchObject({ kind: 'fallocate', fd: 0 });
    expect(m.steps[m.index]!.rules[0]).toBe(r.failure!.steps[r.failure!.index]!.rules[0]);
  });

  it('merges a second mapping of the same file into the first, translating offsets to the same file page', async () => {
    // A shrunk dontneed-frees report had the load go through a second mapping at file offset 0x2000.
    const bugTarget = async (seed: number) => createEmulator({ profile: linux618, seed, bugs: ['dontneed-frees'] });
    const ops: Op[] = [
      { kind: 'createVm', id: 0, type: 0n },
      { kind: 'createGmem', vm: 0, id: 0, size: 0x3000n, flags: 3n, reserved: Z },
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 0x3000n, prot: 3n, shared: true },
      { kind: 'store', map: 0, offset: 0x2000n, value: 1, onUserfault: 'COPY', fill: 0 },
      { kind: 'mmap', fd: 0, id: 1, offset: 0x2000n, length: 0x1000n, prot: 3n, shared: true },
      { kind: 'madvise', map: 0, offset: 0x2000n, length: 0x1000n, advice: 'DONTNEED' },
      { kind: 'load', map: 1, offset: 0n, onUserfault: 'COPY', fill: 0 },
    ];
    const r = await lockstep(SPEC, linux618, await bugTarget(1), ops);
    expect(r.failure?.index).toBe(6);
    const m = await minimise(r.failure!, linux618, bugTarget, 1);
    expect(m.steps.map((s) => s.op.kind)).toEqual(['createVm', 'createGmem', 'mmap', 'store', 'madvise', 'load']);
    expect(m.steps[5]!.op).toMatchObject({ kind: 'load', map: 0, offset: 0x2000n });
    expect(m.steps[m.index]!.rules[0]).toBe(r.failure!.steps[r.failure!.index]!.rules[0]);
  });

  it('cuts a failure buried under hundreds of irrelevant steps (delta debugging) to its essential steps', async () => {
    const pad = (i: number): Op[] => [
      { kind: 'createMemfd', id: 1 + i, size: 4096n },
      { kind: 'fstat', fd: 1 + i },
      { kind: 'checkExtension', vm: null, cap: 244n },
    ];
    const ops: Op[] = [
      { kind: 'createVm', id: 0, type: 0n },
      { kind: 'createGmem', vm: 0, id: 0, size: 16384n, flags: 3n, reserved: Z },
      ...Array.from({ length: 100 }, (_, i) => pad(i)).flat(),
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 16384n, prot: 3n, shared: true },
      { kind: 'store', map: 0, offset: 0n, value: 7, onUserfault: 'COPY', fill: 0 },
      ...Array.from({ length: 100 }, (_, i) => pad(100 + i)).flat(),
      { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 4096n },
      { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 },
    ];
    const r = await lockstep(SPEC, linux618, await makeTarget(1), ops);
    expect(r.failure?.index).toBe(ops.length - 1);
    const m = await minimise(r.failure!, linux618, makeTarget, 1);
    expect(m.steps.map((s) => s.op.kind)).toEqual(['createVm', 'createGmem', 'mmap', 'store', 'fallocate', 'load']);
  });
});
