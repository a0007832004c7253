/**
 * Helpers for the VM tests (npm run test:vm): run `gmemcheck vm` as a child process with its own
 * TMPDIR, so the QEMU it starts can be told apart from any other by its command line, and look
 * for QEMU processes left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/gmemcheck.mjs');

export interface VmRun {
  readonly child: ChildProcess;
  /** The TMPDIR the run's QEMU files live under. */
  readonly tmp: string;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Every child a test started; killChildren() (afterEach) ends those a failed test left running. */
const started = new Set<ChildProcess>();
export const track = (child: ChildProcess): ChildProcess => {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
};
export const killChildren = (): void => {
  for (const c of started) c.kill('SIGKILL');
  started.clear();
};

export const startVm = (args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): VmRun => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'gmc-vmtest-'));
  const child = track(spawn(process.execPath, [BIN, 'vm', ...args], {
    cwd: opts.cwd ?? tmp, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp, ...opts.env },
  }));
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, tmp, stdout: () => out, stderr: () => err, exited };
};

export const runVm = async (args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => {
  const r = startVm(args, opts);
  const code = await r.exited;
  return { code, stdout: r.stdout(), stderr: r.stderr(), tmp: r.tmp };
};

/** Pids of processes whose command line holds `what` and `tmp` (where the run's files live). */
const processesUnder = (what: string, tmp: string, where: 'cmdline' | 'environ'): number[] =>
  readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
      return cmd.includes(what) && readFileSync(`/proc/${p}/${where}`, 'utf8').includes(tmp) ? [Number(p)] : [];
    } catch {
      return [];
    }
  });

/** QEMU processes of a run: their command line names files under its TMPDIR. */
export const qemuUnder = (tmp: string): number[] => processesUnder('qemu-system', tmp, 'cmdline');

/** `gmemcheck … vm` node processes of a run: their environment has its TMPDIR. */
export const gmemcheckUnder = (tmp: string): number[] => processesUnder('gmemcheck', tmp, 'environ').filter((p) => {
  try {
    // node running gmemcheck's bin (…/bin/gmemcheck.mjs, or npx's …/.bin/gmemcheck link), not
    // `node /usr/bin/npx gmemcheck vm` before npm renames itself.
    const argv = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
    return /node$/.test(argv[0] ?? '') && /\/gmemcheck(\.mjs)?$/.test(argv[1] ?? '') && argv[2] === 'vm';
  } catch {
    return false;
  }
});

export const waitFor = async (cond: () => boolean, ms: number, step = 100): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, step));
  return cond();
};

/** The domain lines of a run's summary: PASS/FAIL/SKIP and the counts. */
export const domainLines = (out: string): Map<string, { status: string; ops: number }> => {
  const m = new Map<string, { status: string; ops: number }>();
  for (const line of out.split('\n')) {
    const r = /^(PASS|FAIL|SKIP|ERROR)\s+(\S+)\s+(?:\d+ sequences, (\d+) ops checked)?/.exec(line);
    if (r) m.set(r[2]!, { status: r[1]!, ops: Number(r[3] ?? 0) });
  }
  return m;
};
