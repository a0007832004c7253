/**
 * The VM is gone at the end, on Ctrl-C, on timeout and when `gmemcheck vm` itself is SIGKILLed, at
 * any moment: before QEMU starts, while it boots, while the guest runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gmemcheckUnder, killChildren, qemuUnder, ROOT, runVm, startVm, track, waitFor } from './_support.js';

const LONG_RUN = ['--kernel', 'debian', '--', 'run', '--time', '600', '--seed', '3'];

describe('VM lifecycle', () => {
  // A failed wait must not leave a 600 s run behind (and its QEMU, for the tests that follow).
  afterEach(killChildren);

  it('SIGKILL while the guest runs leaves no QEMU process', async () => {
    const r = startVm(LONG_RUN);
    // The run's first line (`seed 3: …`) comes from the guest: the guest command is running.
    expect(await waitFor(() => /^seed 3\b/m.test(r.stdout()), 180_000), r.stderr()).toBe(true);
    await new Promise((res) => setTimeout(res, 3000));
    expect(qemuUnder(r.tmp).length).toBe(1);
    r.child.kill('SIGKILL');
    await r.exited;
    expect(await waitFor(() => qemuUnder(r.tmp).length === 0, 5000), 'QEMU outlived gmemcheck vm').toBe(true);
  });

  it('SIGKILL at several moments from start to boot leaves no QEMU process', async () => {
    for (const ms of [300, 1500, 4000, 8000]) {
      const r = startVm(LONG_RUN);
      await new Promise((res) => setTimeout(res, ms));
      r.child.kill('SIGKILL');
      await r.exited;
      expect(await waitFor(() => qemuUnder(r.tmp).length === 0, 5000), `killed after ${ms} ms`).toBe(true);
    }
  });

  it('SIGINT or SIGTERM at several moments from start to boot: the command ends, no QEMU is left or started', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      for (const ms of [300, 1500, 4000, 8000]) {
        const r = startVm(LONG_RUN);
        await new Promise((res) => setTimeout(res, ms));
        r.child.kill(sig);
        // Before QEMU starts a Ctrl-C ends the command at its next step (it used to boot the VM anyway).
        const ended = await Promise.race([r.exited.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), 20_000))]);
        if (!ended) r.child.kill('SIGKILL');
        expect(ended, `${sig} after ${ms} ms: still running\n${r.stderr()}`).toBe(true);
        expect(await waitFor(() => qemuUnder(r.tmp).length === 0, 5000), `${sig} after ${ms} ms`).toBe(true);
        // Killed by the signal itself (it came before node set its handlers), or ended by the handler.
        const how = r.child.signalCode ?? r.child.exitCode;
        expect([sig, sig === 'SIGINT' ? 130 : 3], `${sig} after ${ms} ms\n${r.stderr()}`).toContain(how);
        if (how === 130) expect(r.stderr()).toMatch(/interrupted \(SIGINT\)/);
      }
    }
  });

  it('npx gmemcheck vm: SIGTERM or SIGKILL of npx while the guest boots leaves no QEMU and no gmemcheck process', async () => {
    for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
      const tmp = mkdtempSync(path.join(tmpdir(), 'gmc-vmtest-'));
      // npm's own `sh -c` sits between npx and gmemcheck vm; neither signal reaches gmemcheck vm.
      const npx = track(spawn('npx', ['gmemcheck', 'vm', '--kernel', 'debian', '--', 'run', '--time', '600', '--results', tmp], {
        cwd: ROOT, stdio: 'ignore', env: { ...process.env, TMPDIR: tmp },
      }));
      expect(await waitFor(() => qemuUnder(tmp).length === 1, 120_000), `${sig}: QEMU started`).toBe(true);
      const gmc = gmemcheckUnder(tmp);
      expect(gmc.length, sig).toBe(1);
      npx.kill(sig);
      expect(await waitFor(() => qemuUnder(tmp).length === 0, 10_000), `${sig}: QEMU outlived npx`).toBe(true);
      expect(await waitFor(() => gmemcheckUnder(tmp).length === 0, 10_000), `${sig}: gmemcheck vm outlived npx`).toBe(true);
    }
  });

  it('Ctrl-C (SIGINT) stops the VM and says so, exit 130', async () => {
    const r = startVm(LONG_RUN);
    expect(await waitFor(() => qemuUnder(r.tmp).length === 1, 120_000)).toBe(true);
    await new Promise((res) => setTimeout(res, 2000));
    r.child.kill('SIGINT');
    expect(await r.exited).toBe(130);
    expect(r.stderr()).toMatch(/interrupted \(SIGINT\); the VM was stopped/);
    expect(qemuUnder(r.tmp)).toEqual([]);
  });

  it('--timeout stops the VM, exit 3, naming the limit', async () => {
    const r = await runVm(['--kernel', 'debian', '--timeout', '40', '--', 'run', '--time', '600']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/did not finish within --timeout 40 s and was stopped/);
    expect(qemuUnder(r.tmp)).toEqual([]);
  });
});
