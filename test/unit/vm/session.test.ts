/**
 * The VM session's lifecycle with a fake QEMU (./fake-qemu.ts): frames forwarded, a kernel report
 * stops the VM, the timeouts stop it, and QEMU never outlives the process that started it, even
 * when that process is SIGKILLed. The real thing is tested in test/vm/.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSession } from '../../../cli/vm/session.js';
import type { Frame } from '../../../cli/vm/frames.js';
import { alive, fakeQemu } from './fake-qemu.js';

const qemu = fakeQemu();
const files = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'gmc-session-'));
  return { consoleFile: path.join(d, 'console.log'), controlFile: path.join(d, 'control.jsonl'), pidFile: path.join(d, 'pid') };
};
const args = (f: ReturnType<typeof files>) => ['-chardev', `file,id=console,path=${f.consoleFile}`, '-chardev', `file,id=control,path=${f.controlFile}`];
const withEnv = async <T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
  const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(old)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
};
const waitFor = async (cond: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe('vm session (fake QEMU)', () => {
  it('forwards frames, counts malformed lines, ends with the guest\'s exit code', async () => {
    const f = files();
    const frames: Frame[] = [];
    const inits: string[] = [];
    const r = await withEnv({ FAKE_QEMU_MODE: 'exit' }, () => runSession({
      qemu, args: args(f), consoleFile: f.consoleFile, controlFile: f.controlFile, timeoutMs: 20_000, pollMs: 20,
      onFrame: (x) => frames.push(x), onInit: (e) => inits.push(e.kind),
    }));
    expect(r.end).toEqual({ kind: 'exit', code: 1 });
    expect(frames.map((x) => x.t)).toEqual(['hello', 'out', 'case', 'op', 'exit']);
    expect(r.badFrames).toHaveLength(1);
    expect(r.flight.ops).toEqual([{ kind: 'createVm', id: 0, type: 0 }]);
    expect(inits).toEqual(['stage', 'exit']);
  });

  it('a kernel report on the console ends the session and stops QEMU', async () => {
    const f = files();
    let reported = '';
    const r = await withEnv({ FAKE_QEMU_MODE: 'report', FAKE_QEMU_PIDFILE: f.pidFile }, () => runSession({
      qemu, args: args(f), consoleFile: f.consoleFile, controlFile: f.controlFile, timeoutMs: 20_000, pollMs: 20, reportGraceMs: 100,
      onFrame: () => undefined, onInit: () => undefined, onReport: (t) => { reported = t; },
    }));
    expect(r.end).toEqual({ kind: 'report', title: 'BUG: kernel NULL pointer dereference, address: 0000000000000008' });
    expect(reported).toMatch(/^BUG: kernel NULL/);
    expect(alive(Number(readFileSync(f.pidFile, 'utf8')))).toBe(false);
  });

  it('a guest that never says hello is a boot timeout; one that never finishes is a timeout; QEMU is gone either way', async () => {
    for (const [mode, bootMs, end] of [['hang', 300, 'boot-timeout'], ['hello-hang', 10_000, 'timeout']] as const) {
      const f = files();
      const r = await withEnv({ FAKE_QEMU_MODE: mode, FAKE_QEMU_PIDFILE: f.pidFile }, () => runSession({
        qemu, args: args(f), consoleFile: f.consoleFile, controlFile: f.controlFile, timeoutMs: 800, bootTimeoutMs: bootMs, pollMs: 20,
        onFrame: () => undefined, onInit: () => undefined,
      }));
      expect(r.end.kind, mode).toBe(end);
      expect(alive(Number(readFileSync(f.pidFile, 'utf8'))), mode).toBe(false);
    }
  });

  it('SIGKILL of the process that runs the session leaves no QEMU behind', async () => {
    const f = files();
    const script = path.join(path.dirname(f.pidFile), 'run.mts');
    const session = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../cli/vm/session.ts');
    writeFileSync(script, `import { runSession } from ${JSON.stringify(session)};
await runSession({ qemu: ${JSON.stringify(qemu)}, args: ${JSON.stringify(args(f))}, consoleFile: ${JSON.stringify(f.consoleFile)},
  controlFile: ${JSON.stringify(f.controlFile)}, timeoutMs: 60_000, onFrame: () => undefined, onInit: () => undefined });\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore', env: { ...process.env, FAKE_QEMU_MODE: 'hang', FAKE_QEMU_PIDFILE: f.pidFile } });
    expect(await waitFor(() => existsSync(f.pidFile) && readFileSync(f.pidFile, 'utf8').trim() !== '', 15_000), 'fake QEMU started').toBe(true);
    const pid = Number(readFileSync(f.pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitFor(() => !alive(pid), 3000), 'QEMU outlived the SIGKILLed session').toBe(true);
  });

  it('when the parent it was told to watch dies (npm\'s shell when npx is killed), the session ends and QEMU is gone', async () => {
    const f = files();
    const dir = path.dirname(f.pidFile);
    const script = path.join(dir, 'run.mts');
    const endFile = path.join(dir, 'end.json');
    const session = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../cli/vm/session.ts');
    writeFileSync(script, `import { writeFileSync } from 'node:fs';
import { runSession } from ${JSON.stringify(session)};
const r = await runSession({ qemu: ${JSON.stringify(qemu)}, args: ${JSON.stringify(args(f))}, consoleFile: ${JSON.stringify(f.consoleFile)},
  controlFile: ${JSON.stringify(f.controlFile)}, timeoutMs: 60_000, pollMs: 50, watchPids: [process.ppid], onFrame: () => undefined, onInit: () => undefined });
writeFileSync(${JSON.stringify(endFile)}, JSON.stringify(r.end));\n`);
    // The shell stands for npm's \`sh -c\`; \`; :\` keeps it from exec'ing node in its place.
    const sh = spawn('sh', ['-c', `"${process.execPath}" --import tsx "${script}"; :`], { stdio: 'ignore', env: { ...process.env, FAKE_QEMU_MODE: 'hang', FAKE_QEMU_PIDFILE: f.pidFile } });
    expect(await waitFor(() => existsSync(f.pidFile) && readFileSync(f.pidFile, 'utf8').trim() !== '', 15_000), 'fake QEMU started').toBe(true);
    const pid = Number(readFileSync(f.pidFile, 'utf8'));
    sh.kill('SIGKILL');
    expect(await waitFor(() => !alive(pid), 5000), 'QEMU outlived the parent').toBe(true);
    expect(await waitFor(() => existsSync(endFile), 5000)).toBe(true);
    expect(JSON.parse(readFileSync(endFile, 'utf8'))).toEqual({ kind: 'parent-gone', parent: sh.pid });
  });
});
