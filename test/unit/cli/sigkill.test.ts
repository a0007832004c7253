/**
 * Why this test? Shrinking can take minutes; a CI job may be killed in the middle. The first
 * failing case must already be on disk, complete, and replayable. A real `gmemcheck run` with an
 * emulator bug is SIGKILLed as soon as its first artifact folder appears; the folder must hold all
 * three files and its trace.json must reproduce the failure.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTrace } from '../../../models/report/trace.js';
import { cli, cliAsync } from './run-cli.js';

const BUG = 'punch-unaligned-accepted';

const firstFolder = (dir: string): string | undefined =>
  existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('.')).map((n) => path.join(dir, n))[0] : undefined;

describe('SIGKILL during shrinking', () => {
  it('leaves the first failing case on disk, complete and replayable', async () => {
    const results = mkdtempSync(path.join(tmpdir(), 'gmc-kill-'));
    // The hold keeps the process "shrinking" for 10 s after the first case is written, so the kill
    // below deterministically lands mid-shrink (see cli/run/domain-run.ts).
    const child = cliAsync(['run', '--target', 'emulator', '--bugs', BUG, '--domain', 'mixed', '--runs', '500', '--seed', '11', '--results', results],
      { GMEMCHECK_HOLD_AFTER_FIRST_MS: '10000' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let folder: string | undefined;
    const deadline = Date.now() + 15_000;
    while (folder === undefined && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 25));
      folder = firstFolder(results);
    }
    const stillRunning = child.exitCode === null;
    child.kill('SIGKILL');
    await exited;
    folder ??= firstFolder(results);
    expect(folder, 'no failure artifact appeared').toBeDefined();
    expect(stillRunning, 'the run ended before it could be killed mid-shrink').toBe(true);
    expect(readdirSync(folder!).sort()).toEqual(['report.md', 'repro.c', 'trace.json']);
    expect(readdirSync(results).filter((n) => n.startsWith('.')), 'only whole folders are visible').toEqual([]);
    const trace = loadTrace(path.join(folder!, 'trace.json'));
    expect(trace.bugs).toEqual([BUG]);
    const r = cli(['replay', path.join(folder!, 'trace.json')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/reproduced: step \d+ violates/);
  });
});
