/**
 * (Spawned, not in-process: the end-to-end path a user takes, token or trace to exit code.)
 * Replay reproduces: a token for the documented shortest counterexample of an emulator bug fails
 * (exit 1, the failing step printed) while the bug is on, and conforms (exit 0) with it off; a
 * trace.json replays the same way.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { replayToken } from '../../../models/report/token.js';
import { buildTrace, traceJson } from '../../../models/report/trace.js';
import type { Failure } from '../../../models/lockstep.js';
import { cli } from './run-cli.js';
import { PROBE } from './fixtures.js';

// adapters/emulator/bugs.ts 'size-unaligned-accepted' (CRE-4): createVm; createGmem(size = P + 1).
const BUG = 'size-unaligned-accepted';
const OPS: Op[] = [
  { kind: 'createVm', id: 0, type: 0n },
  { kind: 'createGmem', vm: 0, id: 0, size: 4097n, flags: 0n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] },
];
const failure: Failure = {
  index: 1, target: 'emulator', profile: linux618, stateBefore: { files: [], text: '' },
  steps: OPS.map((op) => ({ op, observed: { kind: 'ok' }, allowed: [{ kind: 'errno', errno: 'EINVAL' }], rules: ['CRE-4'] })),
};

describe('gmemcheck replay on the emulator', () => {
  const token = replayToken(failure, { targetSeed: 5, bugs: [BUG] });

  it('a token carrying the bug reproduces the failure: exit 1, the step and rule printed', async () => {
    const r = cli(['replay', token]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/target: emulator/);
    expect(r.stdout).toMatch(/NOT ALLOWED \(wanted errno EINVAL\)/);
    expect(r.stdout).toMatch(/reproduced: step 2 violates CRE-4/);
  });
  it('the same ops conform with the bug switched off: exit 0', async () => {
    const r = cli(['replay', token, '--bugs', '', '--target', 'emulator']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/conforms: all 2 steps allowed/);
  });
  it('a trace.json replays like the token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-replay-'));
    const f = path.join(dir, 'trace.json');
    writeFileSync(f, traceJson(buildTrace({ ...failure }, { phase: 'first', probe: { ...PROBE, target: 'emulator' }, bugs: [BUG], targetSeed: 5 })));
    const r = cli(['replay', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/reproduced: step 2 violates CRE-4/);
  });
});
