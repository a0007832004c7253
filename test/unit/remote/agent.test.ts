/**
 * The agent's safety rules, one behaviour per test: token required on TCP, per-op timeout, targets
 * closed when a connection drops, a killed backend process replaced, the stdio and ssh transports,
 * and the command line refusing a token argument.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Outcome } from '../../../spec/vocab/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { AgentUnreachableError, TargetBrokenError, TargetTimeoutError } from '../../../spec/vocab/errors.js';
import { AgentAuthError, RemoteClient, createRemoteTarget, processBackend } from '../../../adapters/remote/index.js';
import { RawPeer } from './_support/raw-client.js';
import { AGENT_ARGV, Counter, countingBackend, startAgent, TOKEN, TOKEN_ENV } from './_support/agents.js';

const emulator = async (seed: number) => createEmulator({ profile: linux618, seed, bugs: [] });
const CREATE = [
  { kind: 'createVm', id: 0, type: 0 },
  { kind: 'createGmem', vm: 0, id: 0, size: 16384n, flags: 0n, reserved: [] },
] as const;

describe('remote agent', () => {
  it('refuses a TCP client without the right token and runs nothing for it', async () => {
    const n = new Counter();
    const agent = await startAgent(countingBackend('emulator', emulator, n));
    await expect(new RemoteClient(agent.url, { env: {} }).makeTarget(0)).rejects.toBeInstanceOf(AgentAuthError);
    await expect(new RemoteClient(agent.url, { env: { GMEMCHECK_TOKEN: `${TOKEN}-wrong` } }).makeTarget(0)).rejects.toThrow(/could not prove that it knows the token/);
    expect(n.opens).toBe(0);
    await agent.close();
  });

  it('hangs up on a TCP peer that does not authenticate in time, and keeps an authenticated one', async () => {
    const agent = await startAgent(countingBackend('emulator', emulator, new Counter()), { authDeadlineMs: 300 });
    const idle = await RawPeer.connect(agent.port);
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    const t = await client.makeTarget(0);
    await new Promise((r) => setTimeout(r, 600));
    expect(idle.isClosed).toBe(true);
    expect(await t.apply(CREATE[0])).toEqual({ kind: 'ok' });
    await client.close();
    await agent.close();
  });

  it('answers timeout for an op that never finishes, discards that target, and keeps serving', async () => {
    const never = new Promise<Outcome>(() => undefined);
    const agent = await startAgent(countingBackend('hang', async (seed) => {
      const t = await emulator(seed);
      return { ...t, name: 'hang', probe: () => t.probe(), close: () => t.close(), apply: (op) => (op.kind === 'load' ? never : t.apply(op)) };
    }, new Counter()), { opTimeoutMs: 200 });
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    const t = await client.makeTarget(0);
    const started = Date.now();
    await expect(t.apply({ kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 })).rejects.toBeInstanceOf(TargetTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(t.apply(CREATE[0])).rejects.toBeInstanceOf(TargetBrokenError);
    const t2 = await client.makeTarget(1);
    expect(await t2.apply(CREATE[0])).toEqual({ kind: 'ok' });
    await client.close();
    await agent.close();
  });

  it("closes a dropped connection's targets", async () => {
    const n = new Counter();
    const agent = await startAgent(countingBackend('emulator', emulator, n));
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    for (const seed of [1, 2, 3]) await (await client.makeTarget(seed)).apply(CREATE[0]);
    const closesBefore = n.closes;
    (await client.connection()).close(); // a hang-up without bye
    for (let i = 0; i < 50 && n.closes < closesBefore + 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect(n.closes).toBe(closesBefore + 3);
    await agent.close();
  });

  it('replaces a backend process that was killed, and reports its targets as broken', async () => {
    const backend = processBackend({ backend: 'emulator', profile: linux618 });
    const session = backend.session();
    const t = await session.open(0);
    expect(await t.apply(CREATE[0])).toEqual({ kind: 'ok' });
    session.abandon(t);
    await expect(t.apply(CREATE[1])).rejects.toBeInstanceOf(TargetBrokenError);
    const t2 = await session.open(0);
    expect(await t2.apply(CREATE[0])).toEqual({ kind: 'ok' });
    await session.close();
  });

  it('serves over stdio:// and over ssh:// (ssh replaced by a local stand-in)', async () => {
    const cmd = `${AGENT_ARGV.join(' ')} --stdio --backend emulator`;
    const viaStdio = await createRemoteTarget(`stdio://${cmd}`, 0, { env: {} });
    expect(await viaStdio.apply(CREATE[0])).toEqual({ kind: 'ok' });
    await viaStdio.close();

    // The stand-in checks the arguments an ssh client would get, then runs the remote command here.
    const dir = mkdtempSync(join(tmpdir(), 'gmc-ssh-'));
    const log = join(dir, 'argv');
    const fakeSsh = join(dir, 'ssh');
    writeFileSync(fakeSsh, `#!/bin/sh\necho "$@" > ${log}\nfor last; do :; done\nexec sh -c "$last"\n`);
    chmodSync(fakeSsh, 0o755);
    const viaSsh = await createRemoteTarget('ssh://tester@testvm:2222', 0, { env: { GMEMCHECK_SSH: fakeSsh, GMEMCHECK_AGENT_CMD: cmd } });
    expect(await viaSsh.apply(CREATE[0])).toEqual({ kind: 'ok' });
    await viaSsh.close();
    const argv = spawnSync('cat', [log]).stdout.toString();
    expect(argv).toContain('-p 2222 -- tester@testvm');
  });

  it('reports an agent command that dies as unreachable, with its stderr', async () => {
    await expect(createRemoteTarget('stdio://echo "gmemcheck: not found" >&2; exit 127', 0, { env: {} }))
      .rejects.toSatisfy((e) => e instanceof AgentUnreachableError && /not found/.test((e as Error).message));
  });

  it('the agent command refuses --token, and refuses TCP without any token', () => {
    const withArg = spawnSync(AGENT_ARGV[0]!, [...AGENT_ARGV.slice(1), '--listen', '127.0.0.1:0', '--token', 'x'.repeat(20)], { env: { ...process.env, GMEMCHECK_TOKEN: '' } });
    expect(withArg.status).toBe(2);
    expect(withArg.stderr.toString()).toMatch(/--token is not accepted.*--token-file/s);
    const without = spawnSync(AGENT_ARGV[0]!, [...AGENT_ARGV.slice(1), '--listen', '127.0.0.1:0', '--backend', 'emulator'], { env: { ...process.env, GMEMCHECK_TOKEN: '' } });
    expect(without.status).toBe(2);
    expect(without.stderr.toString()).toMatch(/needs a shared token/);
  });
});
