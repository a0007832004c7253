/**
 * Issue 14, the CLI contract: every command has `--help` (stdout, exit 0) and is listed by the
 * top-level help; `--version`; every bad argument is exit 2 with one line naming the valid
 * choices (negative numbers included, never Node's parser message); bad input never surfaces as a
 * TypeError; one target syntax (`--target tcp://…|ssh://…|stdio://…`) that GMEMCHECK_TARGET
 * shares with the vitest projects; Ctrl-C prints the partial summary; the missing-addon message
 * has no Node require stack; `npx gmemcheck` does not rebuild the addon behind the user's back.
 */
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, HELP, USAGE } from '../../../cli/usage.js';
import { pack } from '../../../spec/vocab/codec.js';
import { addonLoadError } from '../../../adapters/native/_internals/binding.js';
import { parseRunArgs } from '../../../cli/run/options.js';
import { envTarget } from '../../../properties/_support/run.js';
import { UsageError } from '../../../cli/errors.js';
import { BIN, ROOT, cli, cliAsync, inProcess } from './run-cli.js';
import { buildTrace, traceJson } from '../../../models/report/trace.js';
import { FAILURE, PROBE } from './fixtures.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'gmc-contract-'));
const oneLine = (r: { code: number | null; stderr: string }, mentions: RegExp): void => {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^gmemcheck: error: /);
  expect(lines[0]).toMatch(mentions);
  expect(r.stderr).not.toMatch(/TypeError|BadOpError|at .*\.ts:\d+|Did you forget|--\w+=-XYZ/);
};

describe('help and version', () => {
  it('the top-level help lists every command, the target syntax and exit 130', async () => {
    const r = await inProcess(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMAND_NAMES) expect(r.stdout).toMatch(new RegExp(`^ {2}${c} +\\S`, 'm'));
    expect(r.stdout).toMatch(/tcp:\/\/HOST:PORT \| ssh:\/\/\[USER@\]HOST\[:PORT\] \| stdio:\/\/COMMAND/);
    expect(r.stdout).toMatch(/130 interrupted/);
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(['run', 'replay', 'probe', 'rules', 'diff', 'report', 'agent']));
  });
  it.each(COMMAND_NAMES)('%s --help prints its usage on stdout and exits 0', async (name) => {
    for (const flag of ['--help', '-h']) {
      const r = await inProcess([name, flag]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(HELP[name].usage);
      expect(r.stdout).toMatch(new RegExp(`^usage: gmemcheck ${name}\\b`));
    }
  });
  it('as a user types it: run --help and agent --help from the binary', () => {
    for (const name of ['run', 'agent']) {
      const r = cli([name, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(HELP[name as 'run'].usage);
      expect(r.stderr).toBe('');
    }
  });
  it('--help after `--` belongs to the command line after it (gmemcheck vm -- run --help)', async () => {
    const r = await inProcess(['rules', '--', '--help']);
    expect(r.stdout).not.toBe(HELP.rules.usage);
    expect(r.code).toBe(2);
  });
  it('--version', async () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await inProcess(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`gmemcheck ${pkg.version}`);
  });
  it('no command: usage on stderr, exit 2', async () => {
    const r = await inProcess([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(USAGE);
  });
});

describe('bad arguments: exit 2, one line naming the valid choices', () => {
  const trace = (mutate: (t: Record<string, unknown>) => void): string => {
    const t = JSON.parse(traceJson(buildTrace(FAILURE, { phase: 'first', probe: PROBE, bugs: [] }))) as Record<string, unknown>;
    mutate(t);
    const f = path.join(tmp(), 'trace.json');
    writeFileSync(f, JSON.stringify(t));
    return f;
  };
  const cases: (readonly [string, readonly string[] | (() => readonly string[]), RegExp])[] = [
    ['--bugs nope (run)', ['run', '--target', 'emulator', '--bugs', 'nope'], /unknown emulator bug 'nope' \(bugs: flags-bit2-unchecked, .*punch-no-zero/],
    ['--bugs nope (replay)', ['replay', 'gmc1.x', '--bugs', 'nope'], /unknown emulator bug 'nope' \(bugs: /],
    ['--bugs nope (diff)', ['diff', '--a', 'emulator', '--b', 'emulator:upstream', '--bugs', 'nope'], /unknown emulator bug 'nope' \(bugs: /],
    ['--bugs nope (probe)', ['probe', '--bugs', 'nope'], /unknown emulator bug 'nope' \(bugs: /],
    ['--runs -1', ['run', '--runs', '-1'], /--runs must be a positive integer \(got '-1'\)/],
    ['--time -5', ['run', '--time', '-5'], /--time must be a positive integer \(got '-5'\)/],
    ['--max-failures 0', ['run', '--max-failures', '0'], /--max-failures must be a positive integer/],
    ['--seed x', ['run', '--seed', '1.5'], /--seed must be a 32-bit integer, negative or not/],
    ['--runs with no value', ['run', '--runs'], /Option '--runs <value>' argument missing/],
    ['an unknown option', ['run', '--frob'], /Unknown option '--frob' \(options of run: --target …, --profile …, .*--stop-at-first/],
    ['the old --agent', ['run', '--agent', 'tcp://h:1'], /Unknown option '--agent' \(options of run: --target …/],
    ['--target remote', ['run', '--target', 'remote'], /--target must be auto, emulator, native, tcp:\/\/HOST:PORT, .* \(got 'remote'\): give the agent's address instead/],
    ['--target tcp:// without a port', ['run', '--target', 'tcp://localhost'], /--target: tcp:\/\/localhost: tcp:\/\/ needs a port/],
    ['--format', ['run', '--format', 'junit'], /--format must be one of text, ktap \(got 'junit'\)/],
    ['--domain', ['run', '--domain', 'vfio'], /unknown domain 'vfio'; domains: creation, fileops, /],
    ['--rule', ['run', '--rule', 'XYZ-1'], /unknown rule 'XYZ-1' \(\d+ rule ids; 'gmemcheck rules' lists them\)/],
    ['--emulator-profile on native', ['run', '--target', 'native', '--emulator-profile', 'linux-6.18'], /--emulator-profile sets what the emulator implements; the target here is native/],
    ['--results ""', ['run', '--results', ''], /--results needs a directory/],
    ['--domain ""', ['run', '--domain', ''], /--domain needs at least one domain \(domains: creation, /],
    ['--expect ""', ['run', '--expect', ''], /--expect needs a baseline file/],
    ['an agent option', ['agent', '--stdio', '--frob'], /agent: unknown argument "--frob" \(gmemcheck agent --help lists the options\)/],
    ['a trace with a number where a bigint string belongs', () => ['replay', trace((t) => { (t['ops'] as Record<string, unknown>[])[1]!['size'] = 4096; })],
      /op 2 \(createGmem\) is invalid: \$\.size: expected u64/],
    ['a trace whose profile has a number for a bigint', () => ['replay', trace((t) => { ((t['profile'] as Record<string, Record<string, unknown>>)['caps']!)['gmemFlags'] = 3; })],
      /profile\.caps\.gmemFlags\* must be u64 bigints/],
    ['a token with an unknown op', ['replay', `gmc1.${pack({ profile: 'linux-6.18', ops: [{ kind: 'frobnicate' }] })}`], /op 1 has no known kind \(op kinds: createVm, /],
    ['a token with an unknown bug', ['replay', `gmc1.${pack({ profile: 'linux-6.18', ops: [{ kind: 'createVm', id: 0, type: 0 }], bugs: ['nope'] })}`], /the token's bug list: unknown emulator bug 'nope'/],
    ['a token with an unknown profile', ['replay', `gmc1.${pack({ profile: 'linux-9.9', ops: [{ kind: 'createVm', id: 0, type: 0 }] })}`], /unknown profile 'linux-9\.9'; presets: /],
    ['report --out into a file\'s child', () => { const f = path.join(tmp(), 'file'); writeFileSync(f, ''); return ['report', '--out', path.join(f, 'r.html')]; },
      /--out .*\/file\/r\.html: cannot (write there|create the directory) \(ENOTDIR\)/],
  ];
  for (const [name, args, msg] of cases) {
    it(name, async () => oneLine(await inProcess(typeof args === 'function' ? args() : args), msg));
  }
  it('as a user types it: --runs -1 and --bugs nope from the binary', () => {
    oneLine(cli(['run', '--runs', '-1']), /--runs must be a positive integer \(got '-1'\)/);
    oneLine(cli(['run', '--target', 'emulator', '--bugs', 'nope', '--runs', '1']), /unknown emulator bug 'nope'/);
  });
  it('a negative seed is a seed', async () => {
    const r = await inProcess(['run', '--target', 'emulator', '--seed', '-1', '--runs', '1', '--domain', 'creation', '--results', tmp()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^seed -1: the same seed reruns the same sequences/m);
  });
});

describe('one target syntax, in run and in the vitest projects', () => {
  it('--target stdio://… runs against an agent and says what it serves', async () => {
    const prev = process.env['GMEMCHECK_AGENT_BACKEND'];
    process.env['GMEMCHECK_AGENT_BACKEND'] = 'emulator';
    try {
      const url = `stdio://${process.execPath} ${BIN} agent --stdio --backend emulator`;
      const r = await inProcess(['run', '--target', url, '--domain', 'creation', '--runs', '3', '--seed', '1', '--results', tmp()]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^target: remote agent stdio:\/\/.* \(--target stdio:\/\/.*\)$/m);
      expect(r.stdout).toMatch(/^ {2}the agent serves the emulator backend, kernel emulator \(linux-6\.18\)$/m);
      expect(r.stdout).toMatch(/^PASS {2}creation {5}3 sequences/m);
    } finally {
      if (prev === undefined) delete process.env['GMEMCHECK_AGENT_BACKEND'];
      else process.env['GMEMCHECK_AGENT_BACKEND'] = prev;
    }
  }, 60_000);
  it('an agent that is not there is an infrastructure error naming it (exit 3), not a usage error', async () => {
    const r = await inProcess(['run', '--target', 'tcp://127.0.0.1:1', '--domain', 'creation', '--runs', '1', '--results', tmp()]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^gmemcheck: infrastructure error: .*127\.0\.0\.1:1/m);
  });
  it('GMEMCHECK_TARGET is the default of run, and the same values mean the same in vitest', () => {
    const dir = tmp();
    expect(parseRunArgs(['--results', dir], { GMEMCHECK_TARGET: 'emulator' }).target).toEqual({ kind: 'emulator', from: 'GMEMCHECK_TARGET' });
    expect(parseRunArgs(['--results', dir, '--target', 'native'], { GMEMCHECK_TARGET: 'emulator' }).target).toEqual({ kind: 'native' });
    const url = 'ssh://root@testvm:2222';
    expect(parseRunArgs(['--results', dir], { GMEMCHECK_TARGET: url }).target).toMatchObject({ kind: 'remote', url });
    expect(envTarget({ GMEMCHECK_TARGET: url })).toMatchObject({ kind: 'remote', url });
    expect(envTarget({ GMEMCHECK_TARGET: 'emulator' })).toMatchObject({ kind: 'emulator' });
    // auto means what it means to run: here (no guest_memfd) the emulator, with the reason.
    expect(envTarget({ GMEMCHECK_TARGET: 'auto' })?.why).toMatch(/^GMEMCHECK_TARGET=auto: /);
    expect(envTarget({})).toBeUndefined();
    // A typo is an error in both, never silently the default target.
    expect(() => parseRunArgs(['--results', dir], { GMEMCHECK_TARGET: 'nativ' })).toThrow(UsageError);
    expect(() => envTarget({ GMEMCHECK_TARGET: 'nativ' })).toThrow(/GMEMCHECK_TARGET must be auto, emulator, native, tcp:\/\/HOST:PORT/);
  });
  it('run says where the target came from', async () => {
    const prev = process.env['GMEMCHECK_TARGET'];
    process.env['GMEMCHECK_TARGET'] = 'emulator';
    try {
      const r = await inProcess(['run', '--domain', 'creation', '--runs', '1', '--results', tmp()]);
      expect(r.stdout).toMatch(/^target: emulator \(GMEMCHECK_TARGET=emulator\)$/m);
    } finally {
      if (prev === undefined) delete process.env['GMEMCHECK_TARGET'];
      else process.env['GMEMCHECK_TARGET'] = prev;
    }
  });
});

describe('Ctrl-C', () => {
  it('prints the partial summary and exits 130', async () => {
    // 40 s over 11 domains: the first ends after about 4 s, the rest would take half a minute.
    const child = cliAsync(['run', '--target', 'emulator', '--time', '40', '--seed', '1', '--results', tmp()]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!/^PASS {2}creation/m.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/^PASS {2}creation/m);
    const t0 = Date.now();
    child.kill('SIGINT');
    const code = await exited;
    expect(Date.now() - t0, out).toBeLessThan(20_000);
    expect(code, out).toBe(130);
    expect(out).toMatch(/^== summary ==$/m);
    expect(out).toMatch(/^SKIP {2}mixed {8}skipped: not run: interrupted \(Ctrl-C\)$/m);
    expect(out).toMatch(/^rerun: gmemcheck run .* --seed 1 /m);
  }, 60_000);
});

describe('the native addon', () => {
  it('a missing addon is one line without Node\'s require stack, saying how to build it', () => {
    const e = Object.assign(new Error("Cannot find module '/x/build/Release/gmemcheck_native.node'\nRequire stack:\n- /x/adapters/native/_internals/binding.ts"), { code: 'MODULE_NOT_FOUND' });
    const msg = addonLoadError('/x/build/Release/gmemcheck_native.node', e);
    expect(msg).toBe('native addon /x/build/Release/gmemcheck_native.node not loadable: it is not built (build it with: npm run build:native)');
    expect(msg).not.toMatch(/Require stack|\n/);
  });
  it('npm\'s install step run by npx builds nothing; under npm ci it builds only what changed', () => {
    // A node-gyp that records being called, first on PATH.
    const bin = tmp();
    const called = path.join(bin, 'called');
    writeFileSync(path.join(bin, 'node-gyp'), `#!/bin/sh\necho "$@" >> ${called}\nexit 1\n`);
    chmodSync(path.join(bin, 'node-gyp'), 0o755);
    const script = path.join(ROOT, 'scripts/install-addon.mjs');
    const env = (cmd: string) => ({ ...process.env, PATH: `${bin}:${process.env['PATH']}`, npm_command: cmd });
    const addon = path.join(ROOT, 'build/Release/gmemcheck_native.node');
    const before = statSync(addon, { throwIfNoEntry: false })?.mtimeMs;
    const npx = spawnSync(process.execPath, [script], { env: env('exec'), encoding: 'utf8' });
    expect(npx.status).toBe(0);
    expect(npx.stderr).toMatch(/^gmemcheck: npx: not building the native addon/);
    expect(() => readFileSync(called)).toThrow();
    expect(statSync(addon, { throwIfNoEntry: false })?.mtimeMs).toBe(before);
    // npm ci: the stamp of the built sources decides. Up to date here (npm ci built it), or built
    // by node-gyp when the stamp is missing or stale.
    const ci = spawnSync(process.execPath, [script], { env: env('ci'), encoding: 'utf8' });
    expect(ci.status).toBe(0);
    const upToDate = /native addon up to date/.test(ci.stderr);
    let rebuilt = false;
    try { rebuilt = readFileSync(called, 'utf8').trim() === 'rebuild'; } catch { /* not called */ }
    expect(upToDate !== rebuilt).toBe(true);
  });
});
