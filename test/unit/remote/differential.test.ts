/**
 * The remote target is transparent: the same generated sequences give the same outcome at every
 * step whether the target is used directly or through an agent on loopback (in-process agent and
 * the real agent binary; emulator and native backends).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { createNativeTarget, nativeAvailable } from '../../../adapters/native/index.js';
import type { TargetFactory } from '../../../spec/vocab/target.js';
import { RemoteClient, inProcessBackend } from '../../../adapters/remote/index.js';
import { EMULATOR_LIMITS, NATIVE_LIMITS, type GenLimits } from '../../../models/generate/context.js';
import { outcomeEqual } from '../../../spec/vocab/index.js';
import { spawnAgent, startAgent, TOKEN_ENV, type SpawnedAgent } from './_support/agents.js';
import { ALL_MIXES, runSequence, sampleSequences, type StepResult } from './_support/sequences.js';

const emulator: TargetFactory = async (seed) => createEmulator({ profile: linux618, seed, bugs: [] });
const native = nativeAvailable();

const same = (a: StepResult, b: StepResult): boolean =>
  'threw' in a || 'threw' in b ? JSON.stringify(a) === JSON.stringify(b) : outcomeEqual(a, b);

const compare = async (direct: TargetFactory, remote: TargetFactory, limits: GenLimits, perMix: number) => {
  let steps = 0;
  const diffs: string[] = [];
  for (const [name, mix] of ALL_MIXES) {
    for (const [i, ops] of sampleSequences(mix, perMix, 1000 + name.length, limits, linux618).entries()) {
      const a = await runSequence(direct, i, ops);
      const b = await runSequence(remote, i, ops);
      steps += b.length;
      if (a.length !== b.length || a.some((x, j) => !same(x, b[j]!))) diffs.push(`${name}#${i}`);
    }
  }
  return { steps, diffs };
};

describe('remote outcomes equal direct outcomes, step by step', () => {
  const spawned: SpawnedAgent[] = [];
  afterAll(async () => { await Promise.all(spawned.map((a) => a.kill())); });

  it('emulator backend, in-process agent over TCP loopback', async () => {
    const agent = await startAgent(inProcessBackend('emulator', emulator));
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    const r = await compare(emulator, client.makeTarget, EMULATOR_LIMITS, 8);
    console.log(`differential emulator/in-process: ${r.steps} steps through the agent`);
    expect(r.diffs).toEqual([]);
    await client.close();
    await agent.close();
  });

  it('emulator backend, agent binary over TCP loopback', async () => {
    const agent = await spawnAgent(['--listen', '127.0.0.1:0', '--backend', 'emulator']);
    spawned.push(agent);
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    const r = await compare(emulator, client.makeTarget, EMULATOR_LIMITS, 4);
    console.log(`differential emulator/binary: ${r.steps} steps through the agent`);
    expect(r.diffs).toEqual([]);
    await client.close();
  });

  it.skipIf(!native.ok)(`native backend, agent binary over TCP loopback${native.ok ? '' : ` (skipped: ${native.reason})`}`, async () => {
    const agent = await spawnAgent(['--listen', '127.0.0.1:0', '--backend', 'native']);
    spawned.push(agent);
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    const hello = await client.hello();
    expect(hello).toMatchObject({ backend: 'native', protocolVersion: 5 });
    const r = await compare(async () => createNativeTarget(), client.makeTarget, NATIVE_LIMITS, 4);
    console.log(`differential native/binary: ${r.steps} steps through the agent`);
    expect(r.diffs).toEqual([]);
    await client.close();
  });
});
