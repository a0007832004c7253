/**
 * Failure artifacts: the folder appears whole (report.md, trace.json, repro.c, no temp names
 * left), trace.json loads back, report.md says what a kernel developer needs, the shrunk case goes
 * to shrunk/, and repro.c compiles with gcc -Wall -Werror.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FailureArtifacts } from '../../../models/report/artifacts.js';
import { loadTrace } from '../../../models/report/trace.js';
import { FAILURE, PROBE } from './fixtures.js';

const gccOk = spawnSync('gcc', ['--version']).status === 0;

describe('failure artifacts', () => {
  const results = mkdtempSync(path.join(tmpdir(), 'gmc-art-'));
  const a = new FailureArtifacts({ resultsDir: results, probe: PROBE, replay: { bugs: [], target: 'native' }, now: () => new Date('2026-11-22T02:30:00Z') });
  const first = a.write(FAILURE, 'first', { targetSeed: 42 });

  it('writes one folder named <timestamp>-<rule>-<shortid> with exactly the three files', () => {
    expect(readdirSync(results)).toEqual([path.basename(first.dir)]);
    expect(path.basename(first.dir)).toMatch(/^20261122T023000Z-FIO-6-[0-9a-f]{8}$/);
    expect(readdirSync(first.dir).sort()).toEqual(['report.md', 'repro.c', 'trace.json']);
  });
  it('trace.json loads back with the failing step and rules', () => {
    const t = loadTrace(first.trace);
    expect(t.failingStep).toBe(2);
    expect(t.rules[0]).toBe('FIO-6');
    expect(t.targetSeed).toBe(42);
    expect(t.release).toBe('6.18.0-test');
  });
  it('report.md has the rule text, environment, sequence, allowed vs observed, state and replay', () => {
    const md = readFileSync(path.join(first.dir, 'report.md'), 'utf8');
    expect(md).toMatch(/FIO-6\*\* — Both `offset` and `len` must be page-aligned/);
    expect(md).toMatch(/docs\/rules\.md FIO-6/);
    expect(md).toMatch(/kernel release: `6\.18\.0-test`/);
    expect(md).toMatch(/P-UFFD-PRIV=/);
    expect(md).toMatch(/\| \*\*3\*\* \| `fallocate\(fd=#0, mode=KEEP_SIZE\|PUNCH_HOLE, offset=0x1, len=0x1000\)`/);
    expect(md).toMatch(/allowed \(any one of\):\n- errno EINVAL/);
    expect(md).toMatch(/observed: \*\*ok\*\*/);
    expect(md).toMatch(/pages 0\.\.3: unallocated/);
    expect(md).toContain(`gmemcheck replay ${first.token} --target native`);
  });
  it('the shrunk case goes to shrunk/ in the same folder', () => {
    const s = a.write(FAILURE, 'shrunk', { targetSeed: 42 });
    expect(s.dir).toBe(path.join(first.dir, 'shrunk'));
    expect(readdirSync(s.dir).sort()).toEqual(['report.md', 'repro.c', 'trace.json']);
    expect(loadTrace(s.trace).phase).toBe('shrunk');
    expect(readdirSync(results)).toHaveLength(1);
    expect(readdirSync(first.dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
  it.skipIf(!gccOk)('repro.c compiles with gcc -Wall -Werror', () => {
    const out = path.join(results, 'repro');
    const r = spawnSync('gcc', ['-Wall', '-Werror', '-o', out, path.join(first.dir, 'repro.c')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
