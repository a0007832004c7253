/**
 * Why this test? `gmemcheck run --domain parallel` is the user's way to the race checks
 * (docs/parallel.md). With a race bug of the zoo on, the run must fail (exit 1), say so in the
 * summary and in KTAP, write report.md, trace.json and repro.c at once, and print a gmp1. token that
 * `gmemcheck replay` reproduces exactly (exit 1); without the bug the same run passes, and a
 * kernel without guest_memfd says it ran memfd cases only. Flags of parallel replay are checked
 * before anything runs.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestMemfdAvailable, nativeAvailable } from '../../../adapters/native/index.js';
import { inProcess } from './run-cli.js';
import { GMEMCHECK_BIN } from '../remote/_support/agents.js';

const RUN = ['run', '--target', 'emulator', '--domain', 'parallel', '--seed', '1', '--runs', '3000'];

describe('gmemcheck run --domain parallel', () => {
  it('a race bug fails the run with artifacts, and its token replays the same outcomes', async () => {
    const results = mkdtempSync(path.join(tmpdir(), 'gmc-par-'));
    const r = await inProcess([...RUN, '--bugs', 'race-fault-clear-twice', '--results', results]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/^FAIL {2}parallel .*; not linearizable$/m);
    expect(r.stdout).toMatch(/^ {2}FAIL {3}parallel: concurrent outcomes no interleaving explains$/m);
    const folder = readdirSync(results).find((n) => n.includes('-parallel-'))!;
    for (const f of ['report.md', 'trace.json', 'repro.c']) expect(existsSync(path.join(results, folder, 'shrunk', f))).toBe(true);
    const report = readFileSync(path.join(results, folder, 'shrunk', 'report.md'), 'utf8');
    expect(report).toContain('## Why no interleaving explains them');
    const token = /gmemcheck replay (gmp1\.\S+)/.exec(report)![1]!;
    const again = await inProcess(['replay', token]);
    expect(again.code, again.stdout).toBe(1);
    expect(again.stdout).toMatch(/reproduced: no interleaving explains the outcomes/);
    const trace = await inProcess(['replay', path.join(results, folder, 'shrunk', 'trace.json')]);
    expect(trace.code).toBe(1);
  }, 60_000);

  it('without the bug the same run passes; KTAP has the domain', async () => {
    const r = await inProcess([...RUN.slice(0, -1), '300', '--format', 'ktap', '--results', mkdtempSync(path.join(tmpdir(), 'gmc-par-'))]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^ok 1 parallel$/m);
    // The emulator races both backings, and says how many cases each got.
    expect(r.stdout).toMatch(/^# parallel: backing exercised — memfd \(shmem\) [1-9]\d* cases; guest_memfd [1-9]\d* cases$/m);
    expect(r.stdout).not.toMatch(/# SKIP/);
  }, 60_000);

  it('under a profile without guest_memfd the guest_memfd cases are named as refused at creation, not as guest_memfd tested', async () => {
    const r = await inProcess(['run', '--target', 'emulator', '--profile', 'linux-6.18-nogmem', '--domain', 'parallel', '--runs', '40', '--seed', '5', '--results', mkdtempSync(path.join(tmpdir(), 'gmc-par-'))]);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/backing exercised — memfd \(shmem\) [1-9]\d* cases; guest_memfd [1-9]\d* cases, each refused at creation \(the profile's kernel has no guest_memfd: ENOTTY\)$/m);
  }, 60_000);

  // The remote agent runs branches too (its branches request): the emulator behind it races both
  // backings; a kernel without guest_memfd behind it races memfd and skips guest_memfd with the reason.
  const agent = (backend: string): string => `stdio://${process.execPath} ${GMEMCHECK_BIN} agent --stdio --backend ${backend}`;
  it('runs on a remote agent serving the emulator', async () => {
    // The client insists on a native agent unless told otherwise (a kernel run must not pass on the emulator).
    process.env['GMEMCHECK_AGENT_BACKEND'] = 'emulator';
    const r = await inProcess(['run', '--target', agent('emulator'), '--domain', 'parallel', '--seed', '2', '--runs', '30', '--results', mkdtempSync(path.join(tmpdir(), 'gmc-par-'))])
      .finally(() => delete process.env['GMEMCHECK_AGENT_BACKEND']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^PASS {2}parallel {5}\d+ sequences, .*; memfd \(shmem\) [1-9]\d* cases, guest_memfd [1-9]\d* cases$/m);
  }, 60_000);

  it.skipIf(!nativeAvailable().ok || guestMemfdAvailable().ok)('on a kernel without guest_memfd, --time goes to the parallel domain, the one that runs', async () => {
    // Before, the budget was split over all 12 domains and the 11 skipped ones returned at once:
    // `run --target native --time 120` raced for 11 s.
    const r = await inProcess(['run', '--target', 'native', '--time', '4', '--seed', '2', '--results', mkdtempSync(path.join(tmpdir(), 'gmc-par-'))]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const secs = Number(/^PASS {2}parallel .*, ([\d.]+)s;/m.exec(r.stdout)?.[1] ?? 0);
    expect(secs, r.stdout).toBeGreaterThan(3);
  }, 60_000);

  it.skipIf(!nativeAvailable().ok || guestMemfdAvailable().ok)('runs on a remote agent serving this kernel: memfd on threads, guest_memfd a SKIP with the reason', async () => {
    const r = await inProcess(['run', '--target', agent('native'), '--domain', 'parallel', '--seed', '2', '--runs', '10', '--results', mkdtempSync(path.join(tmpdir(), 'gmc-par-'))]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^parallel: 10 cases .*, 50 executions \(5 per case on threads/m);
    expect(r.stdout).toMatch(/^PASS {2}parallel .*; memfd \(shmem\) 10 cases, guest_memfd SKIP \(the agent's kernel \S+ has no guest_memfd/m);
  }, 60_000);

  it('replay refuses --runs for a sequential case and --emulator-profile for a parallel one', async () => {
    expect((await inProcess(['replay', 'gmc1.x', '--runs', '3'])).code).toBe(2);
    expect((await inProcess(['replay', 'gmp1.x', '--emulator-profile', 'upstream'])).code).toBe(2);
    expect((await inProcess(['replay', 'gmp1.x'])).code).toBe(2);
  });

  it.skipIf(!nativeAvailable().ok || guestMemfdAvailable().ok)('on a kernel without guest_memfd the native run races memfd only and its guest_memfd part is a SKIP with the reason', async () => {
    const results = mkdtempSync(path.join(tmpdir(), 'gmc-par-'));
    const r = await inProcess(['run', '--target', 'native', '--domain', 'parallel', '--seed', '1', '--runs', '20', '--results', results]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/parallel: memfd only — guest_memfd cases SKIP: .*no guest_memfd/);
    expect(r.stdout).toMatch(/^parallel: 20 cases \([\d.]+ cases\/s\), 100 executions \(5 per case on threads, \d+\/s\)/m);
    expect(r.stdout).toMatch(/^parallel: backing exercised — memfd \(shmem\) 20 cases; guest_memfd SKIP \(.*has no guest_memfd\)$/m);
    expect(r.stdout).toMatch(/^PASS {2}parallel .*; memfd \(shmem\) 20 cases, guest_memfd SKIP \(/m);
    const k = await inProcess(['run', '--target', 'native', '--domain', 'parallel', '--seed', '1', '--runs', '5', '--format', 'ktap', '--results', results]);
    expect(k.code, k.stdout).toBe(0);
    expect(k.stdout).toMatch(/^ {2}ok 1 guest_memfd # SKIP .*no guest_memfd/m);
    expect(k.stdout).toMatch(/^# totals: pass:1 fail:0 xfail:0 xpass:0 skip:1 error:0$/m);
  }, 60_000);
});
