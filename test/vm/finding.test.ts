/**
 * A guest kernel crash during a run is a finding: exit 1, the VM stopped, and a folder with the
 * console log, the sequence in flight and how to replay it. The crash is real (sysrq 'c' in the
 * guest, through the GMEMCHECK_VM_CRASH_AFTER_OPS test hook of cli/vm/guest-main.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from '../../spec/vocab/codec.js';
import { decodeToken } from '../../models/report/token.js';
import type { Op } from '../../spec/vocab/index.js';
import { killChildren, qemuUnder, runVm } from './_support.js';

describe('a guest kernel panic', () => {
  afterEach(killChildren);

  it('is a finding with the console log, the ops in flight and a replay token', async () => {
    const r = await runVm(['--kernel', 'debian', '--', 'run', '--domain', 'fileops', '--runs', '50', '--seed', '1', '--results', 'out'], { env: { GMEMCHECK_VM_CRASH_AFTER_OPS: '40' } });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/vm: FINDING: the guest kernel reported "Kernel panic - not syncing: sysrq triggered crash"/);
    const results = path.join(r.tmp, 'out');
    const dirs = readdirSync(results).filter((n) => n.includes('-guest-kernel-panic-'));
    expect(dirs).toHaveLength(1);
    const dir = path.join(results, dirs[0]!);
    expect(readdirSync(dir).sort()).toEqual(['console.log', 'inflight.json', 'report.md']);
    expect(readFileSync(path.join(dir, 'console.log'), 'utf8')).toMatch(/sysrq triggered crash[\s\S]*Call Trace/);
    const inflight = parse(readFileSync(path.join(dir, 'inflight.json'), 'utf8')) as { ops: Op[]; opsBefore: number };
    expect(inflight.ops.length).toBeGreaterThan(0);
    // The 40th op of the run is the last one recorded.
    expect(inflight.opsBefore + inflight.ops.length).toBe(40);
    const token = /-- replay (gmc1\.\S+)/.exec(readFileSync(path.join(dir, 'report.md'), 'utf8'))![1]!;
    expect(decodeToken(token).ops).toEqual(inflight.ops);
    expect(qemuUnder(r.tmp)).toEqual([]);
  });
});
