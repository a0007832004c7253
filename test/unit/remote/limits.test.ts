/**
 * Issue 12, defects 7 and 8 (agent side): an authenticated client had no limits (it took 3 GB
 * through fallocate/POPULATE, 4,225 fds and 3,000 VMs before a watchdog killed it), and an agent
 * that served the emulator where a kernel was to be tested made the client report PASS. Now each
 * limit refuses the op before it runs with a clear error (AgentLimitError on the client), bytes are
 * charged to the target and to one agent-wide budget released when the target closes, excess ops
 * per second wait, and a backend mismatch is an infrastructure error at setup.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import type { Op } from '../../../spec/vocab/index.js';
import { AgentBackendError, AgentLimitError, PopulateBudget, RemoteClient, listenTcp } from '../../../adapters/remote/index.js';
import { setupTarget } from '../../../cli/targets.js';
import { Counter, countingBackend, startAgent, TOKEN, TOKEN_ENV, type StartOptions } from './_support/agents.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/index.js';

const emulator = async (seed: number) => createEmulator({ profile: linux618, seed, bugs: [] });

describe('agent resource limits', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  const agentWith = async (limits: StartOptions['limits'], n = new Counter()) => {
    const agent = await startAgent(countingBackend('emulator', emulator, n), { limits });
    cleanup.push(() => agent.close());
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    cleanup.push(() => client.close());
    return { agent, client, n };
  };

  it('VMs, fds and mappings per target: the op past the limit is refused before it runs, and closing makes room', async () => {
    const { client, n } = await agentWith({ vms: 3, fds: 4, maps: 2 });
    const t = await client.makeTarget(0);
    for (let i = 0; i < 3; i++) expect(await t.apply({ kind: 'createVm', id: i, type: 0 })).toEqual({ kind: 'ok' });
    const applies = n.applies;
    await expect(t.apply({ kind: 'createVm', id: 3, type: 0 })).rejects.toThrow(/at most 3 VMs per target \(agent --max-vms\)/);
    await expect(t.apply({ kind: 'createVm', id: 3, type: 0 })).rejects.toBeInstanceOf(AgentLimitError);
    expect(n.applies).toBe(applies);
    expect(await t.apply({ kind: 'closeVm', vm: 0 })).toEqual({ kind: 'ok' });
    expect(await t.apply({ kind: 'createVm', id: 3, type: 0 })).toEqual({ kind: 'ok' });

    for (let i = 0; i < 4; i++) expect(await t.apply({ kind: 'createMemfd', id: i, size: 4n * P })).toEqual({ kind: 'ok' });
    await expect(t.apply({ kind: 'dup', fd: 0, id: 9 })).rejects.toThrow(/at most 4 fds per target/);
    await expect(t.apply({ kind: 'uffdCreate', id: 0, features: 0 })).rejects.toThrow(/at most 4 fds per target/);
    expect(await t.apply({ kind: 'close', fd: 3 })).toEqual({ kind: 'ok' });
    expect(await t.apply({ kind: 'dup', fd: 0, id: 9 })).toEqual({ kind: 'ok' });

    const map = (id: number): Op => ({ kind: 'mmap', fd: 0, id, offset: 0n, length: 4n * P, prot: 3, shared: true });
    expect(await t.apply(map(0))).toEqual({ kind: 'ok' });
    expect(await t.apply(map(1))).toEqual({ kind: 'ok' });
    await expect(t.apply(map(2))).rejects.toThrow(/at most 2 mappings per target/);
    expect(await t.apply({ kind: 'munmap', map: 0 })).toEqual({ kind: 'ok' });
    expect(await t.apply(map(2))).toEqual({ kind: 'ok' });
  });

  it('bytes populated per target (fallocate, MADV_POPULATE) are capped before the kernel sees them', async () => {
    const { client, n } = await agentWith({ populateBytes: 1n << 20n });
    const t = await client.makeTarget(0);
    expect(await t.apply({ kind: 'createMemfd', id: 0, size: 1n << 30n })).toEqual({ kind: 'ok' });
    const applies = n.applies;
    await expect(t.apply({ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: 2n << 20n })).rejects.toThrow(/at most 1 MiB populated per target/);
    expect(n.applies).toBe(applies);
    // Freeing and invalid requests cost nothing: a punch, a negative length (EINVAL).
    expect((await t.apply({ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 1n << 30n })).kind).toBe('ok');
    expect(await t.apply({ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: -P })).toMatchObject({ kind: 'errno' });
    expect(await t.apply({ kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: 512n << 10n })).toEqual({ kind: 'ok' });
    expect(await t.apply({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 1n << 30n, prot: 3, shared: true })).toEqual({ kind: 'ok' });
    await expect(t.apply({ kind: 'madvise', map: 0, offset: 0n, length: 1n << 30n, advice: 'POPULATE_WRITE' })).rejects.toThrow(/populated per target/);
    expect(await t.apply({ kind: 'madvise', map: 0, offset: 0n, length: 256n << 10n, advice: 'POPULATE_WRITE' })).toEqual({ kind: 'ok' });
  });

  it('one budget for the whole agent: a second client waits for the first to release its share', async () => {
    const budget = new PopulateBudget(1n << 20n);
    const agent = await listenTcp('127.0.0.1', 0, { backend: countingBackend('emulator', emulator, new Counter()), token: TOKEN, opTimeoutMs: 5000, agentVersion: 'test', budget });
    cleanup.push(() => agent.close());
    const [a, b] = [new RemoteClient(`tcp://127.0.0.1:${agent.port}`, { env: TOKEN_ENV }), new RemoteClient(`tcp://127.0.0.1:${agent.port}`, { env: TOKEN_ENV })];
    cleanup.push(() => a.close(), () => b.close());
    const [ta, tb] = [await a.makeTarget(0), await b.makeTarget(0)];
    const alloc: Op[] = [{ kind: 'createMemfd', id: 0, size: 1n << 20n }, { kind: 'fallocate', fd: 0, mode: 0, offset: 0n, len: 768n << 10n }];
    for (const op of alloc) await ta.apply(op);
    await tb.apply(alloc[0]!);
    await expect(tb.apply(alloc[1]!)).rejects.toThrow(/memory budget \(1 MiB shared by every target\) is in use/);
    await ta.close();
    expect(await tb.apply(alloc[1]!)).toEqual({ kind: 'ok' });
  });

  it('open targets per connection are capped', async () => {
    const { client } = await agentWith({ targets: 2 });
    await client.makeTarget(0);
    await client.makeTarget(1);
    await expect(client.makeTarget(2)).rejects.toThrow(/at most 2 open targets per connection/);
  });

  it('ops per second per connection: the excess waits (backpressure, not an error)', async () => {
    const { client } = await agentWith({ opsPerSecond: 100 });
    const t = await client.makeTarget(0);
    const t0 = Date.now();
    for (let i = 0; i < 150; i++) await t.apply({ kind: 'checkExtension', vm: null, cap: 234 });
    expect(Date.now() - t0).toBeGreaterThan(400);
  });

  it('an agent serving the emulator where a kernel was to be tested is an infrastructure error at setup', async () => {
    const { agent } = await agentWith({});
    const env = process.env['GMEMCHECK_TOKEN'];
    process.env['GMEMCHECK_TOKEN'] = TOKEN;
    try {
      await expect(setupTarget('remote', { url: agent.url })).rejects.toBeInstanceOf(AgentBackendError);
      await expect(setupTarget('remote', { url: agent.url })).rejects.toThrow(/serves the emulator backend, not native/);
      expect((await setupTarget('remote', { url: agent.url, expectBackend: 'emulator' })).ok).toBe(true);
    } finally {
      if (env === undefined) delete process.env['GMEMCHECK_TOKEN'];
      else process.env['GMEMCHECK_TOKEN'] = env;
    }
  });
});
