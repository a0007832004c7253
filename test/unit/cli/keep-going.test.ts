/**
 * Issue 14, "keep going": one run reports every distinct failure (the rule that excluded the
 * observation, and the kind of op), each shrunk and written, instead of stopping at the first per
 * domain; `--rule` restricts the verdicts, not only the domains; `--max-failures`/`--stop-at-first`
 * keep the old behaviour on request. The kernel under test is the emulator implementing
 * linux-6.18, judged by upstream: the three 6.18 deviations README.md lists (this host's kernel
 * has no guest_memfd any more, so the native form of this run cannot run here).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Op } from '../../../spec/vocab/index.js';
import { linux618, resolveProfile } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { lockstep } from '../../../models/lockstep.js';
import { SPEC } from '../../../models/spec-api.js';
import { inProcess } from './run-cli.js';

const UPSTREAM_ON_618 = ['run', '--target', 'emulator', '--emulator-profile', 'linux-6.18', '--profile', 'upstream', '--seed', '1'];
const results = () => mkdtempSync(path.join(tmpdir(), 'gmc-keep-'));
/** The summary's lines for distinct failures: verdict, rule and op kind. */
const failures = (stdout: string): string[] =>
  stdout.split('\n').filter((l) => /^ {2}(FAIL|XFAIL) {1,2} \S+ on \w+/.test(l)).map((l) => l.trim().replace(/^(\w+)\s+(\S+ on \w+).*/, '$1 $2')).sort();
const reportPaths = (stdout: string): string[] => stdout.split('\n').filter((l) => /^ {9}\/.*report\.md$/.test(l)).map((l) => l.trim());

describe('every distinct failure in one run', () => {
  it('6.18 judged as upstream: ENV-11 (vCPU ids), SLOT-24 (no TDP), SLOT-5/6/7 (the padded request too), POL-1 and POL-24 (the policy scope, the numa_maps line), each shrunk, each with artifacts; exit 1', async () => {
    const r = await inProcess([...UPSTREAM_ON_618, '--domain', 'memslot,mempolicy', '--results', results()]);
    expect(r.code, r.stderr).toBe(1);
    expect(failures(r.stdout)).toEqual([
      'FAIL ENV-11 on createVcpu', 'FAIL POL-1 on getMempolicy', 'FAIL POL-24 on numaMaps', 'FAIL SLOT-24 on preFault',
      'FAIL SLOT-5 on setMemoryRegion', 'FAIL SLOT-6 on setMemoryRegion', 'FAIL SLOT-7 on setMemoryRegion', 'FAIL SLOT-7 on setMemoryRegionPad',
    ]);
    expect(r.stdout).toMatch(/^ {2}FAIL {3}POL-24 on numaMaps: \d+ steps, seen in/m);
    // Shrunk: each report sits in shrunk/, with the trace and the C reproducer beside it.
    const reports = reportPaths(r.stdout);
    expect(reports).toHaveLength(8);
    for (const p of reports) {
      expect(p).toMatch(/\/shrunk\/report\.md$/);
      for (const f of ['report.md', 'trace.json', 'repro.c']) expect(existsSync(path.join(path.dirname(p), f)), p).toBe(true);
    }
    // The six memslot failures come from one domain: the first did not end the search.
    expect(r.stdout).toMatch(/^FAIL {2}memslot .*new: SLOT-6 on setMemoryRegion, SLOT-24 on preFault, (SLOT-\d+ on setMemoryRegion, ){2}ENV-11 on createVcpu, SLOT-7 on setMemoryRegionPad$/m);
  });

  it('--rule SLOT-6 judges only SLOT-6: SLOT-7 is counted as not judged, never reported as a failure', async () => {
    const r = await inProcess([...UPSTREAM_ON_618, '--rule', 'SLOT-6', '--results', results()]);
    expect(r.code, r.stderr).toBe(1);
    expect(failures(r.stdout)).toEqual(['FAIL SLOT-6 on setMemoryRegion']);
    expect(r.stdout).not.toMatch(/\[SLOT-7\]/);
    expect(r.stdout).toMatch(/^not judged \(--rule SLOT-6\): .*SLOT-7 on setMemoryRegion in \d+ sequences/m);
  });

  it('--stop-at-first stops the whole run at the first failure; the rest is skipped with the reason', async () => {
    const r = await inProcess([...UPSTREAM_ON_618, '--domain', 'memslot,mempolicy', '--stop-at-first', '--results', results()]);
    expect(r.code).toBe(1);
    expect(failures(r.stdout)).toHaveLength(1);
    expect(r.stdout).toMatch(/^SKIP {2}mempolicy {4}skipped: not run: the run stopped at 1 distinct failure\(s\) \(--stop-at-first\)/m);
  });

  it('--max-failures 2 stops at two', async () => {
    const r = await inProcess([...UPSTREAM_ON_618, '--domain', 'memslot,mempolicy', '--max-failures', '2', '--results', results()]);
    expect(failures(r.stdout)).toHaveLength(2);
  });
});

describe('lockstep with rules that are not judged', () => {
  const P = 4096n;
  const bind = (slot: number, gpa: bigint, off: bigint, size = 2n * P): Op => ({
    kind: 'setMemoryRegion', vm: 0, v1: false, slot, flags: 4, gpa, size, uaddr: { kind: 'null' }, gmem: { kind: 'fd', fd: 0 }, gmemOffset: off,
  });
  const start: Op[] = [{ kind: 'createVm', id: 0, type: 0n }, { kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: 3n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] }];
  const upstream = resolveProfile('upstream');
  const run618 = (ops: Op[], judged: (k: { rule: string }) => boolean) =>
    lockstep(SPEC, upstream, createEmulator({ profile: linux618, seed: 1 }), ops, undefined, judged);

  it('an unexpected errno where every allowed outcome changes nothing: recorded, and the sequence goes on', async () => {
    // SLOT-7: 6.18 answers EINVAL where upstream wants EEXIST; neither binds anything.
    const ops = [...start, bind(0, 0n, 0n), bind(1, 1n << 20n, P), bind(1, 1n << 20n, 0n, 0n)];
    const r = await run618(ops, (k) => k.rule !== 'SLOT-7');
    expect(r.failure).toBeUndefined();
    expect(r.deviations).toEqual([{ rule: 'SLOT-7', kind: 'setMemoryRegion', index: 3 }]);
    expect(r.cut).toBeUndefined();
    expect(r.steps).toHaveLength(ops.length);
  });
  it('an outcome after which the spec cannot say the state (accepted where it wanted EINVAL): the sequence ends without a verdict', async () => {
    // SLOT-6: 6.18 accepts an offset whose sum with the size wraps; upstream refuses it.
    const ops = [...start, bind(0, 0n, 0x7fffffffffffe000n), bind(0, 0n, 0n, 0n)];
    const r = await run618(ops, (k) => k.rule !== 'SLOT-6');
    expect(r.failure).toBeUndefined();
    expect(r.deviations.map((d) => d.rule)).toEqual(['SLOT-6']);
    expect(r.cut).toBe(2);
    expect(r.steps).toHaveLength(3);
  });
  it('judged, the same step is a failure', async () => {
    const r = await run618([...start, bind(0, 0n, 0x7fffffffffffe000n)], () => true);
    expect(r.failure?.steps[r.failure.index]?.rules[0]).toBe('SLOT-6');
  });
});
