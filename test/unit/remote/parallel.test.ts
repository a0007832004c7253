/**
 * Why this test? The parallel domain runs on every target, the remote agent included: its
 * `branches` request (PROTOCOL.md) carries a case's branches to the agent's target and the
 * outcomes back. Through the agent the emulator must give exactly what it gives locally for the
 * same scheduling choices (and replay a recorded schedule); the agent must refuse malformed
 * branches and branch ops that create or destroy something before anything runs; the client must
 * refuse an answer that does not fit the branches it asked for; and a real kernel's branches run on
 * threads in the backend process.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE as P, type Op } from '../../../spec/vocab/index.js';
import { resolveProfile } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { nativeAvailable } from '../../../adapters/native/index.js';
import type { ParallelTarget } from '../../../spec/vocab/target.js';
import { AgentProtocolError, inProcessBackend, processBackend, RemoteClient } from '../../../adapters/remote/index.js';
import { RawPeer } from './_support/raw-client.js';
import { startAgent, TOKEN, TOKEN_ENV } from './_support/agents.js';

const R = [0n, 0n, 0n, 0n, 0n, 0n];
const PREFIX: readonly Op[] = [
  { kind: 'createVm', id: 0, type: 0n },
  { kind: 'createGmem', vm: 0, id: 0, size: P, flags: 3n, reserved: R },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true },
  { kind: 'uffdCreate', id: 0, features: 0n },
  { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 1n },
];
const resolve = (fill: number): Op => ({ kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill });
const BRANCHES: readonly (readonly Op[])[] = [
  [{ kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 7 }, resolve(1)],
  [resolve(2), { kind: 'store', map: 0, offset: 1n, value: 9, onUserfault: 'COPY', fill: 0 }],
];
const CHOICES = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];

const UFFD = resolveProfile('uffd-v2');
const emulator = async (seed: number) => createEmulator({ profile: UFFD, seed, bugs: [] });

const prepared = async (t: ParallelTarget): Promise<ParallelTarget> => {
  for (const op of PREFIX) expect(await t.apply(op)).toEqual({ kind: 'ok' });
  return t;
};

describe('remote agent: parallel branches', () => {
  it('the emulator behind an agent gives exactly the local outcomes and schedule for the same choices, and replays a schedule', async () => {
    const local = await prepared(await emulator(5));
    const want = await local.runBranches(BRANCHES, { choices: CHOICES });
    const agent = await startAgent(inProcessBackend('emulator', emulator));
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV, expectBackend: 'emulator' });
    try {
      const remote = await prepared((await client.makeTarget(5)) as ParallelTarget);
      const got = await remote.runBranches(BRANCHES, { choices: CHOICES });
      expect(got).toEqual(want);
      const again = await prepared((await client.makeTarget(5)) as ParallelTarget);
      const replayed = await again.runBranches(BRANCHES, { schedule: want.schedule! });
      expect(replayed.branches).toEqual(want.branches);
      expect(replayed.diverged).toBeUndefined();
    } finally {
      await client.close();
      await agent.close();
    }
  });

  it('refuses malformed branches and branch ops that create or leave their page, before anything runs', async () => {
    const ran: string[] = [];
    const agent = await startAgent(inProcessBackend('emulator', async (seed) => {
      const t = await emulator(seed);
      return { ...t, apply: (op: Op) => t.apply(op), runBranches: (b, o) => { ran.push('branches'); return t.runBranches(b, o); } } satisfies ParallelTarget;
    }));
    const peer = await RawPeer.connect(agent.port);
    try {
      await peer.handshake(TOKEN);
      const opened = (await peer.request({ v: 5, id: 3, type: 'open', seed: 1 })) as { result: { target: number } };
      const target = opened.result.target;
      const ask = async (fields: Record<string, unknown>) => (await peer.request({ v: 5, id: 9, type: 'branches', target, ...fields })) as { type: string; code?: string; message?: string };
      const load: Op = { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 };
      expect(await ask({ branches: [] })).toMatchObject({ type: 'error', code: 'bad-request' });
      expect(await ask({ branches: [[]] })).toMatchObject({ type: 'error', code: 'bad-request' });
      expect(await ask({ branches: [[load], [load], [load], [load]] })).toMatchObject({ type: 'error', code: 'bad-request', message: expect.stringMatching(/more than 3/) });
      expect(await ask({ branches: [[load, load, load, load, load]] })).toMatchObject({ type: 'error', code: 'bad-request' });
      expect(await ask({ branches: [[{ ...load, map: -1 }]] })).toMatchObject({ type: 'error', code: 'bad-op' });
      expect(await ask({ branches: [[{ kind: 'createVm', id: 1, type: 0n }]] })).toMatchObject({ type: 'error', code: 'bad-op', message: expect.stringMatching(/createVm cannot run in a branch/) });
      expect(await ask({ branches: [[{ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 2n * P }]] })).toMatchObject({ type: 'error', code: 'bad-op', message: expect.stringMatching(/at most 4096/) });
      expect(await ask({ branches: [[load]], schedule: [0, 7] })).toMatchObject({ type: 'error', code: 'bad-request' });
      expect(await ask({ branches: [[load]], extra: 1 })).toMatchObject({ type: 'error', code: 'bad-request', message: expect.stringMatching(/unknown field "extra"/) });
      expect(await peer.request({ v: 5, id: 10, type: 'branches', target: 99, branches: [[load]] })).toMatchObject({ type: 'error', code: 'unknown-target' });
      expect(ran).toEqual([]);
    } finally {
      peer.close();
      await agent.close();
    }
  });

  it('the client refuses an answer that does not fit the branches it asked for', async () => {
    const agent = await startAgent(inProcessBackend('emulator', async (seed) => {
      const t = await emulator(seed);
      // A confused backend: one outcome short.
      return { ...t, apply: (op: Op) => t.apply(op), runBranches: async (b, o) => { const r = await t.runBranches(b, o); return { ...r, branches: r.branches.map((x) => x.slice(1)) }; } } satisfies ParallelTarget;
    }));
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV, expectBackend: 'emulator' });
    try {
      const t = await prepared((await client.makeTarget(1)) as ParallelTarget);
      await expect(t.runBranches(BRANCHES)).rejects.toThrow(AgentProtocolError);
    } finally {
      await client.close();
      await agent.close();
    }
  });

  it.skipIf(!nativeAvailable().ok)('a real kernel runs the branches on threads in the backend process (memfd: every kernel has it)', async () => {
    const agent = await startAgent(processBackend({ backend: 'native' }));
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    try {
      const t = (await client.makeTarget(1)) as ParallelTarget;
      expect(await t.apply({ kind: 'createMemfd', id: 0, size: P })).toEqual({ kind: 'ok' });
      expect(await t.apply({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true })).toEqual({ kind: 'ok' });
      const run = await t.runBranches([
        [{ kind: 'store', map: 0, offset: 0n, value: 5, onUserfault: 'COPY', fill: 0 }],
        [{ kind: 'load', map: 0, offset: 8n, onUserfault: 'COPY', fill: 0 }],
      ]);
      expect(run.branches.map((b) => b.map((x) => x.outcome))).toEqual([[{ kind: 'ok' }], [{ kind: 'ok', value: { value: 0 } }]]);
      for (const x of run.branches.flat()) expect(x.end! >= x.start!).toBe(true);
      expect(run.ns).toBeGreaterThan(0);
      // Out of its mapping: the backend target refuses before any thread starts.
      const t2 = (await client.makeTarget(2)) as ParallelTarget;
      await t2.apply({ kind: 'createMemfd', id: 0, size: P });
      await t2.apply({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true });
      await expect(t2.runBranches([[{ kind: 'load', map: 0, offset: P, onUserfault: 'COPY', fill: 0 }]])).rejects.toThrow(/leaves its mapping/);
    } finally {
      await client.close();
      await agent.close();
    }
  }, 30_000);
});
