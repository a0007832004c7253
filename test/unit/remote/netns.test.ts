/**
 * The agent across a real network hop: agent and client each in their own network namespace,
 * joined by a veth pair; the lockstep conformance for every domain mix runs through it. Skips with
 * the reason when not root or when iproute2 is missing.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { guestMemfdAvailable } from '../../../adapters/native/index.js';
import { setupTarget } from '../../../cli/targets.js';
import { spawnAgent, TOKEN_ENV, type SpawnedAgent } from './_support/agents.js';
import { createNetnsPair, namespaceExists, netnsUnavailable, type NetnsPair } from './_support/netns.js';
import { ALL_MIXES } from './_support/sequences.js';
import { opsOf, verdictOf, type Verdict } from './_support/verdict.js';

const RUNS = 4;
const SEED = 42;

const unavailable = netnsUnavailable();
const CLIENT = fileURLToPath(new URL('./_support/conformance-client.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const run = (argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolve) => {
    const c = spawn(argv[0]!, argv.slice(1), { cwd: ROOT, env: { ...process.env, ...TOKEN_ENV, ...env } });
    const out = { s: '', e: '' };
    c.stdout.on('data', (d: Buffer) => (out.s += d.toString()));
    c.stderr.on('data', (d: Buffer) => (out.e += d.toString()));
    c.on('close', (code) => resolve({ code, out: out.s, err: out.e }));
  });

describe.skipIf(unavailable !== undefined)(`agent in a network namespace${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const live: { pair?: NetnsPair; agent?: SpawnedAgent } = {};
  afterAll(async () => {
    await live.agent?.kill();
    live.pair?.destroy();
  });

  it('runs the conformance of every domain mix across a veth pair, then tears everything down', async () => {
    const pair = createNetnsPair(process.pid);
    live.pair = pair;
    const backend = guestMemfdAvailable().ok ? 'native' : 'emulator';
    const agent = await spawnAgent(['--listen', `${pair.agentAddr}:7355`, '--backend', backend], { prefix: pair.exec(pair.agentNs) });
    live.agent = agent;
    expect(agent.url).toBe(`tcp://${pair.agentAddr}:7355`);

    const r = await run([...pair.exec(pair.clientNs), process.execPath, '--import', 'tsx', CLIENT, agent.url, String(RUNS), String(SEED)], { GMEMCHECK_AGENT_BACKEND: backend });
    expect(r.code, r.err.slice(-2000)).toBe(0);
    const summary = JSON.parse(r.out.trim().split('\n').pop()!) as { target: string; verdicts: { name: string; verdict: Verdict }[]; ms: number };
    expect(summary.target).toBe(backend);
    expect(summary.verdicts.map((v) => v.name)).toEqual(ALL_MIXES.map(([n]) => n));

    // Same verdicts as the same runs on the local target (the agent runs on this machine's kernel).
    const local = await setupTarget(backend, backend === 'emulator' ? { profile: linux618 } : {});
    if (!local.ok) throw new Error(local.reason);
    for (const { name, verdict } of summary.verdicts) {
      expect(verdict, name).toEqual(await verdictOf(local.setup, ALL_MIXES.find(([n]) => n === name)![1], RUNS, SEED));
    }
    const ops = summary.verdicts.reduce((a, v) => a + opsOf(v.verdict), 0);
    expect(ops).toBeGreaterThan(0);
    console.log(`netns: ${backend} backend, ${ops} ops across the veth pair in ${summary.ms} ms (client side, incl. setup)`);

    await agent.kill();
    delete live.agent;
    pair.destroy();
    delete live.pair;
    expect(namespaceExists(pair.agentNs) || namespaceExists(pair.clientNs)).toBe(false);
  }, 60_000);
});
