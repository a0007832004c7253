/**
 * Bad arguments never reach a target: one line on stderr starting `gmemcheck: error:`, exit 2,
 * no stack trace. The first cases spawn the real binary (exit code and streams as a user sees
 * them); the rest run in-process for speed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, inProcess } from './run-cli.js';

const oneLineError = (stderr: string, mentions: RegExp): void => {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^gmemcheck: error: /);
  expect(lines[0]).toMatch(mentions);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('argument errors (spawned binary)', () => {
  it('an unknown subcommand exits 2 with one line naming it', () => {
    const r = cli(['frobnicate']);
    expect(r.code).toBe(2);
    oneLineError(r.stderr, /unknown command 'frobnicate'/);
  });
  it('an unknown profile exits 2 and lists the presets', () => {
    const r = cli(['run', '--target', 'emulator', '--profile', 'linux-9.9']);
    expect(r.code).toBe(2);
    oneLineError(r.stderr, /unknown profile 'linux-9\.9'; presets: .*linux-6\.18.*upstream/);
  });
  it('a corrupt replay token exits 2', () => {
    const r = cli(['replay', 'gmc1.AAAA!!!']);
    expect(r.code).toBe(2);
    oneLineError(r.stderr, /replay token is corrupt/);
  });
});

describe('argument errors (in-process)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gmc-args-'));
  const cases: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['unknown option', ['run', '--frob'], /Unknown option '--frob'/],
    ['bad --runs', ['run', '--runs', 'many'], /--runs must be a positive integer/],
    ['--runs with --time', ['run', '--runs', '3', '--time', '5'], /exclude each other/],
    ['bad --format', ['run', '--format', 'xml'], /--format must be one of text, ktap/],
    ['bad --target', ['probe', '--target', 'qemu'], /--target must be auto, emulator, native, tcp:\/\/HOST:PORT, ssh:\/\/\[USER@\]HOST\[:PORT\] or stdio:\/\/COMMAND \(got 'qemu'\)/],
    ['unknown domain', ['run', '--domain', 'creation,vfio'], /unknown domain 'vfio'/],
    ['unknown rule', ['run', '--rule', 'XYZ-1'], /unknown rule 'XYZ-1'/],
    ['unknown variant', ['run', '--profile', 'upstream/P-NOPE=1'], /unknown variant 'P-NOPE'/],
    ['bugs on native', ['run', '--target', 'native', '--bugs', 'fsync-ok'], /cannot be used with --target native/],
    ['replay without a case', ['replay'], /replay needs a replay token or a trace\.json path/],
    ['replay of a missing file', ['replay', '/nonexistent/trace.json'], /neither a replay token .* nor an existing trace file/],
    ['extra positional', ['rules', 'extra'], /unexpected argument 'extra'/i],
  ];
  for (const [name, args, msg] of cases) {
    it(`${name} → exit 2, one line`, async () => {
      const r = await inProcess(args);
      expect(r.code).toBe(2);
      oneLineError(r.stderr, msg);
    });
  }
  it('a trace that is not JSON → exit 2 naming the file', async () => {
    const f = path.join(dir, 'bad.json');
    writeFileSync(f, '{"schema": "gmemcheck-trace/1", ');
    const r = await inProcess(['replay', f]);
    expect(r.code).toBe(2);
    oneLineError(r.stderr, /malformed trace: .*bad\.json: not valid JSON/);
  });
  it('a trace with the wrong schema → exit 2 naming the schema', async () => {
    const f = path.join(dir, 'old.json');
    writeFileSync(f, JSON.stringify({ schema: 'gmemcheck-trace/0' }));
    const r = await inProcess(['replay', f]);
    expect(r.code).toBe(2);
    oneLineError(r.stderr, /schema is "gmemcheck-trace\/0", expected "gmemcheck-trace\/1"/);
  });
  it('no subcommand prints usage and exits 2; --help exits 0', async () => {
    expect((await inProcess([])).code).toBe(2);
    const help = await inProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/usage: gmemcheck <command>/);
  });
});
