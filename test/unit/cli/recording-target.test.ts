/**
 * The flight recorder's target wrapper (gmemcheck vm) keeps what the target can do: a target that
 * runs branches still runs them through the wrapper (the parallel domain was a SKIP in the VM
 * because the wrapper dropped runBranches), and every branch op reaches the recorder first.
 */
import { describe, expect, it } from 'vitest';
import { canRunBranches, type Op } from '../../../spec/vocab/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { recordingFactory } from '../../../cli/run/recording-target.js';

describe('recordingFactory', () => {
  it('passes runBranches through and records the branch ops', async () => {
    const seen: Op[] = [];
    const flight = { caseStart: () => undefined, op: (op: Op) => { seen.push(op); } } as unknown as Parameters<typeof recordingFactory>[2];
    const t = await recordingFactory(async (seed) => createEmulator({ profile: linux618, seed }), 'linux-6.18', flight)(1);
    expect(canRunBranches(t)).toBe(true);
    await t.apply({ kind: 'createMemfd', id: 0, size: 4096n });
    const a: Op = { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 4096n };
    const b: Op = { kind: 'ftruncate', fd: 0, size: 8192n };
    if (!canRunBranches(t)) throw new Error('unreachable');
    const r = await t.runBranches([[a], [b]]);
    expect(r).toBeDefined();
    expect(seen.map((o) => o.kind)).toEqual(['createMemfd', 'fallocate', 'ftruncate']);
    await t.close();
  });
});
