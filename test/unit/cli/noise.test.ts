/**
 * Issue 14, noise and drift: "never exercised" lists only rules of the selected domains, each with
 * a reason; the output says which seed reruns what; no "ptes=0runs vmaPolicy=" and no "1 runs";
 * the HTML report shows a skipped column as skipped; `report --results` draws what `run --results`
 * wrote; `npm run mutants` (and `npm run bench`) write to a results directory and change the
 * checked-in records only with --record.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { initialState, step, view } from '../../../spec/index.js';
import type { Op } from '../../../spec/vocab/index.js';
import { setupTarget } from '../../../cli/targets.js';
import { runColumn } from '../../../models/html/run-column.js';
import { reportHtml } from '../../../models/html/page.js';
import { recordArgs, writeOutput } from '../../../bench/record.js';
import { ROOT, inProcess } from './run-cli.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'gmc-noise-'));

describe('run output', () => {
  it('"never exercised" lists only rules of the selected domains, each with its reason', async () => {
    const r = await inProcess(['run', '--target', 'emulator', '--domain', 'memslot', '--seed', '1', '--results', tmp()]);
    const lines = r.stdout.split('\n');
    const start = lines.findIndex((l) => l.startsWith('never exercised'));
    expect(start, r.stdout).toBeGreaterThan(0);
    const listed = lines.slice(start + 1).filter((l) => /^ {2}\w/.test(l));
    expect(listed.length).toBeGreaterThan(0);
    for (const l of listed) expect(l).toMatch(/^ {2}memslot {6}(SLOT-\S+ )*SLOT-\S+: \S.*$/);
    expect(r.stdout).toMatch(/^ {2}memslot {6}.*SLOT-15 SLOT-16: not encoded: no op of the vocabulary observes it$/m);
    expect(r.stdout).toMatch(/^rule coverage: \d+ rules decided at least one verdict; of the \d+ catalogue rules of the selected domains, \d+ did$/m);
  });

  it('says which seed reruns what, once: no per-domain seeds, no fast-check seed in the failure', async () => {
    const r = await inProcess(['run', '--target', 'emulator', '--bugs', 'fsync-ok', '--domain', 'fileops,mmap', '--seed', '7', '--results', tmp()]);
    expect(r.stdout).toMatch(/^seed 7: the same seed reruns the same sequences \(every domain's search starts from a seed derived from it\)/m);
    expect(r.stdout).toMatch(/^rerun: gmemcheck run --target emulator --bugs fsync-ok --domain fileops,mmap --results \S+ --seed 7 {2}\(the same seed reruns the same sequences; a failure's replay token reruns just that case\)$/m);
    for (const l of r.stdout.split('\n').filter((x) => /^(PASS|FAIL|XFAIL|SKIP) /.test(x))) expect(l).not.toMatch(/seed/);
    expect(r.stdout).not.toMatch(/fast-check/);
  });

  it('counts are words: "1 sequence", never "1 runs"', async () => {
    const r = await inProcess(['run', '--target', 'emulator', '--runs', '1', '--domain', 'creation', '--seed', '1', '--results', tmp()]);
    expect(r.stdout).toMatch(/; 1 sequence per domain;/);
    expect(r.stdout).toMatch(/^PASS {2}creation {5}1 sequence, /m);
    expect(r.stdout).not.toMatch(/\b1 (runs|sequences)\b/);
  });

  it('the abstract state names PTEs and VMA policies as page ranges, or says there are none', () => {
    const ops: Op[] = [
      { kind: 'createVm', id: 0, type: 0 },
      { kind: 'createGmem', vm: 0, id: 0, size: 8192n, flags: 3n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] },
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 8192n, prot: 3, shared: true },
    ];
    let s = initialState(linux618);
    for (const op of ops) s = step(linux618, s, op).next({ kind: 'ok' });
    const none = view(s).text;
    expect(none).toMatch(/^map#0 .*; PTEs at map pages none$/m);
    expect(none).not.toMatch(/0runs|vmaPolicy=/);
    s = step(linux618, s, { kind: 'load', map: 0, offset: 4096n, onUserfault: 'COPY', fill: 0 }).next({ kind: 'ok', value: { value: 0 } });
    s = step(linux618, s, { kind: 'mbind', map: 0, offset: 0n, length: 4096n, mode: 1, nodes: 1, flags: 0 }).next({ kind: 'ok' });
    expect(view(s).text).toMatch(/^map#0 .*; PTEs at map pages \[1, 2\); VMA policy \[0, 1\) mode1\/nodes1$/m);
  });
});

describe('the HTML report', () => {
  it('a property the target cannot run is a skipped cell, not a green pass', async () => {
    const r = await setupTarget('emulator', { profile: linux618 });
    if (!r.ok) throw new Error(r.reason);
    // A target like this host's kernel: guest accesses never reach guest_memfd.
    const why = 'kvm_pvm never serves guest accesses from guest_memfd (ENV-4)';
    const setup = { ...r.setup, unsupported: { guestAccess: why, guestMapLevel: why }, excluded: new Set(['guestAccess', 'guestMapLevel'] as const) };
    const c = await runColumn('native-like', setup, { domains: ['guest'], numRuns: 3, maxLength: 10, seed: 1 });
    expect(c.domains[0]).toMatchObject({ domain: 'guest', status: 'skip', sequences: 0 });
    expect(c.domains[0]!.reason).toMatch(/guestAccess: kvm_pvm never serves/);
    expect(reportHtml([c], { generated: 'now', source: 'test' })).toMatch(/<td class="cell skip"[^>]*>skip <small>0 seq/);
  });

  it('report --results draws what run --results wrote', async () => {
    const dir = tmp();
    const run = await inProcess(['run', '--target', 'emulator', '--bugs', 'fsync-ok', '--domain', 'fileops,creation', '--seed', '1', '--results', dir]);
    expect(run.code).toBe(1);
    expect(readdirSync(dir).filter((n) => n.endsWith('.column.json'))).toEqual(['emulator_linux-6.18_bugs_fsync-ok_.column.json']);
    const out = path.join(tmp(), 'report.html');
    const rep = await inProcess(['report', '--results', dir, '--out', out]);
    expect(rep.code, rep.stderr).toBe(1);
    expect(rep.stdout).toMatch(/^wrote .*report\.html: 1 column\(s\), 1 failing property \(emulator:linux-6\.18 \[bugs fsync-ok\] fileops\)$/m);
    expect(readFileSync(out, 'utf8')).toMatch(/FIO-14/);
  });

  it('a run that kept going is drawn with every failure it found; a malformed column file is exit 2, not a crash', async () => {
    const dir = tmp();
    await inProcess(['run', '--target', 'emulator', '--emulator-profile', 'linux-6.18', '--profile', 'upstream', '--domain', 'memslot', '--seed', '1', '--results', dir]);
    const out = path.join(tmp(), 'report.html');
    expect((await inProcess(['report', '--results', dir, '--out', out])).code).toBe(1);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/id="fail-0-memslot"/);
    expect(html).toMatch(/id="fail-0-memslot-1"/);
    const bad = tmp();
    writeFileSync(path.join(bad, 'x.column.json'), '{"label":"x","domains":[null],"ruleHits":{}}');
    const r = await inProcess(['report', '--results', bad, '--out', path.join(bad, 'r.html')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.column\.json is not a gmemcheck column result: domains\[0\] is not a domain result$/);
  });
});

describe('benchmarks and mutants', () => {
  it('write under the results directory; the checked-in record changes only with --record', () => {
    const a = recordArgs(['10', '--results', tmp(), '1']);
    if ('error' in a) throw new Error(a.error);
    expect(a.rest).toEqual(['10', '1']);
    expect(a.record).toBe(false);
    const record = path.join(tmp(), 'MUTANTS.md');
    const written = writeOutput(record, 'x', a, new Date('2026-01-02T03:04:05Z'));
    expect(written).toEqual([path.join(a.resultsDir, 'MUTANTS-20260102T030405Z.md')]);
    expect(() => statSync(record)).toThrow();
    const b = recordArgs(['--record', '--results', a.resultsDir]);
    if ('error' in b) throw new Error(b.error);
    expect(writeOutput(record, 'y', b)).toContain(record);
    expect(readFileSync(record, 'utf8')).toBe('y');
    expect(recordArgs(['--results'])).toEqual({ error: '--results needs a directory' });
  });
  it('npm run mutants as run: MUTANTS.md untouched, the run in the results directory', () => {
    const tracked = readFileSync(path.join(ROOT, 'MUTANTS.md'), 'utf8');
    const dir = tmp();
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/mutants.ts', '5', '1', '50', '--results', dir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stdout).toMatch(/written to .*MUTANTS-\d{8}T\d{6}Z\.md \(MUTANTS\.md changes only with --record\)/);
    expect(readdirSync(dir)).toHaveLength(1);
    expect(readFileSync(path.join(ROOT, 'MUTANTS.md'), 'utf8')).toBe(tracked);
  }, 90_000);
});
