/**
 * Issue 12, defect 5: 32 unauthenticated connections, held and re-opened, kept every real client
 * out of the agent (0 of 15 sessions in 75 s), and the agent parsed (and revived bigints in) every
 * line before authentication. Now strangers hold bounded pre-auth slots for a short time and a new
 * connection always gets one (the oldest stranger from the busiest address is dropped), and a
 * pre-auth line longer than the limit ends the connection unparsed. Attackers connect from
 * 127.0.0.2 (loopback is a /8), and in the harder case from the client's own address.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { stringify } from '../../../spec/vocab/codec.js';
import { RemoteClient } from '../../../adapters/remote/index.js';
import { Counter, countingBackend, startAgent, TOKEN_ENV } from './_support/agents.js';
import { RawPeer } from './_support/raw-client.js';

const emulator = async (seed: number) => createEmulator({ profile: linux618, seed, bugs: [] });

/** `n` connections from `from` that hold their slot (an unfinished line), and reconnect when dropped. */
const attackers = (port: number, n: number, from: string) => {
  const state = { stop: false, connects: 0 };
  const sockets = new Set<net.Socket>();
  const open = (): void => {
    if (state.stop) return;
    const s = net.connect({ port, host: '127.0.0.1', localAddress: from });
    state.connects++;
    sockets.add(s);
    s.on('connect', () => s.write('{"v":5,"id":1,"type":"hel'));
    s.on('error', () => undefined);
    s.on('close', () => {
      sockets.delete(s);
      // Re-open at once, as an attacker cycling its connections would.
      if (!state.stop) setTimeout(open, 5);
    });
  };
  for (let i = 0; i < n; i++) open();
  return {
    state,
    stop: () => {
      state.stop = true;
      for (const s of sockets) s.destroy();
    },
  };
};

/** How long a real client takes to get a session, open a target and run one op. */
const session = async (url: string): Promise<number> => {
  const t0 = Date.now();
  const client = new RemoteClient(url, { env: TOKEN_ENV, timeoutMs: 5000 });
  try {
    const t = await client.makeTarget(0);
    expect(await t.apply({ kind: 'createVm', id: 0, type: 0n })).toEqual({ kind: 'ok' });
    await t.close();
    return Date.now() - t0;
  } finally {
    await client.close();
  }
};

describe('agent admission under an unauthenticated flood', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0)) await c();
  });

  for (const from of ['127.0.0.2', '127.0.0.1']) {
    it(`a real client gets 15 sessions promptly while 40 connections from ${from} hold and cycle pre-auth slots`, async () => {
      const n = new Counter();
      const agent = await startAgent(countingBackend('emulator', emulator, n));
      cleanup.push(() => agent.close());
      const flood = attackers(agent.port, 40, from);
      cleanup.push(flood.stop);
      await new Promise((r) => setTimeout(r, 300));
      const times: number[] = [];
      for (let i = 0; i < 15; i++) times.push(await session(agent.url));
      console.log(`lockout (${from}): 15 sessions in ${times.reduce((a, b) => a + b, 0)} ms (max ${Math.max(...times)} ms), ${flood.state.connects} attacker connects`);
      expect(Math.max(...times)).toBeLessThan(2000);
      expect(n.opens).toBe(15 + 1); // + the probe the first hello ran
    });
  }

  it('idle strangers are dropped after the short pre-auth deadline', async () => {
    const agent = await startAgent(countingBackend('emulator', emulator, new Counter()), { authDeadlineMs: 300 });
    cleanup.push(() => agent.close());
    const idle = await RawPeer.connect(agent.port);
    await new Promise((r) => setTimeout(r, 700));
    expect(idle.isClosed).toBe(true);
  });

  it('one address holds at most its share of pre-auth slots: its oldest connection is dropped first', async () => {
    const agent = await startAgent(countingBackend('emulator', emulator, new Counter()), { admission: { preauthPerAddress: 3, authDeadlineMs: 60_000 } });
    cleanup.push(() => agent.close());
    const peers: RawPeer[] = [];
    for (let i = 0; i < 5; i++) {
      peers.push(await RawPeer.connect(agent.port));
      await new Promise((r) => setTimeout(r, 30));
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(peers.map((p) => p.isClosed)).toEqual([true, true, false, false, false]);
    for (const p of peers) p.close();
  });

  it('a pre-auth line longer than 1 KiB ends the connection unparsed (no flood of bigint-laden lines is read)', async () => {
    const n = new Counter();
    const agent = await startAgent(countingBackend('emulator', emulator, n), { authDeadlineMs: 60_000 });
    cleanup.push(() => agent.close());
    const peer = await RawPeer.connect(agent.port);
    const big = stringify({ v: 5, id: 1, type: 'apply', target: 1, op: { kind: 'createGmem', vm: 0, id: 0, size: 1n, flags: 0n, reserved: Array(6000).fill(1n << 63n) } });
    expect(big.length).toBeGreaterThan(60_000);
    const replies = await peer.exchange(Array(200).fill(big), 2000);
    expect(replies).toEqual([expect.objectContaining({ type: 'error', code: 'too-large' })]);
    expect(peer.isClosed).toBe(true);
    expect(n.applies).toBe(0);
  });
});
