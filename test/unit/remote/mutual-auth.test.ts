/**
 * Issue 12, defect 6: the client sent the token in clear to whatever listened at the address and
 * never authenticated the agent; the agent's worker inherited the token in its environment (where
 * a memory-disclosure bug could read it); token files were read whatever their permissions. Now
 * both ends prove the token by challenge–response and it never crosses the wire, the client
 * refuses an agent that cannot prove it, workers never have it, and a token file that others can
 * read is refused.
 */
import { chmodSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { AgentAuthError, RemoteClient } from '../../../adapters/remote/index.js';
import { randomBytes } from 'node:crypto';
import { readTokenFile, TokenError } from '../../../adapters/remote/token.js';
import { AGENT_ARGV, Counter, countingBackend, spawnAgent, startAgent, TOKEN, TOKEN_ENV, type SpawnedAgent } from './_support/agents.js';

const emulator = async (seed: number) => createEmulator({ profile: linux618, seed, bugs: [] });

/** A listener that records every byte a client sends and answers each line with `reply(line)`. */
const fakeAgent = async (reply: (line: string) => unknown): Promise<{ port: number; received: () => string; close: () => void }> => {
  const got: Buffer[] = [];
  const socks = new Set<net.Socket>();
  const server = net.createServer((s) => {
    socks.add(s);
    s.on('error', () => undefined);
    let buf = '';
    s.on('data', (d: Buffer) => {
      got.push(d);
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const r = reply(line);
        if (r !== undefined) s.write(`${JSON.stringify(r)}\n`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => Buffer.concat(got).toString(),
    close: () => {
      for (const s of socks) s.destroy();
      server.close();
    },
  };
};

/** A TCP relay that records both directions between a client and the real agent. */
const recordingProxy = async (to: number): Promise<{ port: number; seen: () => string; close: () => void }> => {
  const got: Buffer[] = [];
  const socks = new Set<net.Socket>();
  const server = net.createServer((c) => {
    const a = net.connect({ port: to, host: '127.0.0.1' });
    for (const s of [a, c]) { socks.add(s); s.on('error', () => undefined); }
    c.on('data', (d: Buffer) => { got.push(d); a.write(d); });
    a.on('data', (d: Buffer) => { got.push(d); c.write(d); });
    c.on('close', () => a.destroy());
    a.on('close', () => c.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    seen: () => Buffer.concat(got).toString(),
    close: () => { for (const s of socks) s.destroy(); server.close(); },
  };
};

const idOf = (line: string): number => (JSON.parse(line) as { id: number }).id;
/** A well-formed nonce or proof (32 random bytes, base64url) that proves nothing. */
const newNonce = (): string => randomBytes(32).toString('base64url');

describe('mutual authentication (protocol v2)', () => {
  const cleanup: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  it('the client refuses an agent that cannot prove the token, and sends it nothing secret', async () => {
    for (const challenge of [
      (id: number) => ({ v: 5, id, type: 'challenge', agentNonce: newNonce(), auth: 'hmac-sha256', proof: newNonce() }),
      (id: number) => ({ v: 5, id, type: 'challenge', agentNonce: newNonce(), auth: 'none' }),
      // What an agent of the old protocol would answer to anything.
      (id: number) => ({ v: 1, id, type: 'hello', protocolVersion: 1, agentVersion: 'x', kernelRelease: 'x', backend: 'native', probe: {} }),
    ]) {
      const impostor = await fakeAgent((line) => challenge(idOf(line)));
      cleanup.push(impostor.close);
      const client = new RemoteClient(`tcp://127.0.0.1:${impostor.port}`, { env: TOKEN_ENV, timeoutMs: 2000 });
      await expect(client.makeTarget(0)).rejects.toThrow();
      await expect(new RemoteClient(`tcp://127.0.0.1:${impostor.port}`, { env: TOKEN_ENV, timeoutMs: 2000 }).hello()).rejects.toBeInstanceOf(Error);
      const sent = impostor.received();
      expect(sent.length).toBeGreaterThan(0);
      expect(sent).not.toContain(TOKEN);
      expect(sent).not.toContain(Buffer.from(TOKEN).toString('base64'));
      expect(sent).not.toMatch(/"type":"auth"/);
    }
    const impostor = await fakeAgent((line) => ({ v: 5, id: idOf(line), type: 'challenge', agentNonce: newNonce(), auth: 'hmac-sha256', proof: newNonce() }));
    cleanup.push(impostor.close);
    await expect(new RemoteClient(`tcp://127.0.0.1:${impostor.port}`, { env: TOKEN_ENV }).hello()).rejects.toBeInstanceOf(AgentAuthError);
  });

  it('a whole session with the real agent never carries the token', async () => {
    const agent = await startAgent(countingBackend('emulator', emulator, new Counter()));
    cleanup.push(() => agent.close());
    const proxy = await recordingProxy(agent.port);
    cleanup.push(proxy.close);
    const client = new RemoteClient(`tcp://127.0.0.1:${proxy.port}`, { env: TOKEN_ENV });
    const t = await client.makeTarget(0);
    expect(await t.apply({ kind: 'createVm', id: 0, type: 0n })).toEqual({ kind: 'ok' });
    await client.close();
    expect(proxy.seen()).toMatch(/"type":"challenge"/);
    expect(proxy.seen()).not.toContain(TOKEN);
  });

  it('a token file readable by group or others is refused; an owner-only one is read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-token-'));
    const f = path.join(dir, 'token');
    writeFileSync(f, `${TOKEN}\n`);
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      chmodSync(f, mode);
      expect(() => readTokenFile(f)).toThrow(TokenError);
      expect(() => readTokenFile(f)).toThrow(/chmod 600/);
    }
    chmodSync(f, 0o600);
    expect(readTokenFile(f)).toBe(TOKEN);
    writeFileSync(f, 'short');
    expect(() => readTokenFile(f)).toThrow(/shorter than 16/);
    chmodSync(f, 0o644);
    const r = spawnSync(AGENT_ARGV[0]!, [...AGENT_ARGV.slice(1), '--listen', '127.0.0.1:0', '--token-file', f], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/readable or writable by group or others/);
  });

  it('the agent\'s backend worker does not have the token in its environment', async () => {
    const agent: SpawnedAgent = await spawnAgent(['--listen', '127.0.0.1:0', '--backend', 'emulator']);
    cleanup.push(() => agent.kill());
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    cleanup.push(() => client.close());
    await client.makeTarget(0);
    const pid = agent.child.pid!;
    const children = readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
    // Process isolation is the default for the emulator too: the session has a worker.
    expect(children.length).toBeGreaterThan(0);
    for (const c of children) {
      const env = readFileSync(`/proc/${c}/environ`, 'utf8');
      expect(env).not.toContain(TOKEN);
      expect(env).not.toMatch(/GMEMCHECK_TOKEN/);
    }
  });
});
