/**
 * Issue 14, "a CLI that never loses a failure": the replay line a run prints reproduces the
 * failure as printed (it carries the emulator bugs, the target seed and the profile the emulator
 * implemented); replay re-prints such a token; a results directory that cannot be written later
 * sends the whole report to stderr and the run still exits 1 (never 3), naming no folder that is
 * not there; a results directory that cannot be created (under /proc) is refused at once; the
 * headline of the README's example names the rule that was broken (FIO-11).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../cli/main.js';
import { memoryIo, type Io } from '../../../cli/io.js';
import { decodeToken } from '../../../models/report/token.js';
import { inProcess } from './run-cli.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'gmc-paths-'));
/** The README's example run: the emulator with a planted bug, found through MADV_REMOVE. */
const README_RUN = ['run', '--target', 'emulator', '--bugs', 'punch-no-zero', '--domain', 'fileops', '--seed', '1', '--runs', '500'];
const replayArgs = (stdout: string): string[] => {
  const line = stdout.split('\n').find((l) => /^ {2}replay: {3}gmemcheck replay gmc1\./.test(l));
  expect(line, 'a replay line').toBeDefined();
  return line!.trim().replace(/^replay:\s+gmemcheck /, '').split(/\s+/);
};

describe('the printed replay line reproduces the failure as printed', () => {
  it('a run with an emulator bug: the token carries the bug and the target seed', async () => {
    const r = await inProcess([...README_RUN, '--results', tmp()]);
    expect(r.code).toBe(1);
    const args = replayArgs(r.stdout);
    expect(decodeToken(args[1]!).bugs).toEqual(['punch-no-zero']);
    expect(decodeToken(args[1]!).targetSeed).toEqual(expect.any(Number));
    const again = await inProcess(args);
    expect(again.code, again.stdout).toBe(1);
    expect(again.stdout).toMatch(/^reproduced: step \d+ violates FIO-11$/m);
    // replay prints the same kind of line, and that one reproduces too.
    const third = await inProcess(replayArgs(again.stdout));
    expect(third.code).toBe(1);
  });
  it('a run where the emulator implements another profile than the judging one', async () => {
    const r = await inProcess(['run', '--target', 'emulator', '--emulator-profile', 'linux-6.18', '--profile', 'upstream', '--domain', 'memslot', '--stop-at-first', '--seed', '1', '--results', tmp()]);
    expect(r.code).toBe(1);
    const args = replayArgs(r.stdout);
    const c = decodeToken(args[1]!);
    expect(c.profile).toBe('upstream');
    expect(c.emulatorProfile).toBe('linux-6.18');
    const again = await inProcess(args);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^target: emulator implementing linux-6\.18, judged by upstream/m);
  });
});

describe('the headline names the broken rule', () => {
  it('the README example: FIO-11 (stale bytes visible), not MAP-5 (the fault succeeded, as MAP-5 says)', async () => {
    const r = await inProcess([...README_RUN, '--results', tmp()]);
    expect(r.stdout).toMatch(/^\[FIO-11\] step \d+ of \d+ on target=emulator/m);
    expect(r.stdout).toMatch(/^ {2}FAIL {3}FIO-11 on load:/m);
    expect(r.stdout).not.toMatch(/^\[MAP-5\]/m);
  });
});

describe('results that cannot be written', () => {
  it('later in the run: the whole report goes to stderr, exit 1, and no folder that is not there is named', async () => {
    const results = tmp();
    const io = memoryIo();
    // The directory is checked before the run; once the run has started it becomes a file.
    const watching: Io = {
      ...io,
      out: (l) => {
        if (l.startsWith('seed ')) {
          rmSync(results, { recursive: true, force: true });
          writeFileSync(results, 'not a directory');
        }
        io.out(l);
      },
    };
    const code = await main([...README_RUN, '--results', results], watching);
    const stdout = io.stdout.join('\n');
    const stderr = io.stderr.join('\n');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^gmemcheck: cannot write the shrunk case of FIO-11 on load to .* \(ENOTDIR\); its report follows here$/m);
    expect(stderr).toMatch(/^# gmemcheck: FIO-11 violated at step \d+ of \d+$/m);
    expect(stderr).toMatch(/^gmemcheck replay gmc1\.\S+$/m);
    expect(stdout).toMatch(/^ {9}report on stderr \(artifacts not written: ENOTDIR\)$/m);
    expect(stdout).not.toMatch(new RegExp(`^ {9}${results}/`, 'm'));
  });
  it('a directory that cannot be created (under /proc) is refused at once, exit 2', async () => {
    const t0 = Date.now();
    const r = await inProcess(['run', '--target', 'emulator', '--results', '/proc/gmemcheck-results']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--results \/proc\/gmemcheck-results: cannot create the directory/);
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});
