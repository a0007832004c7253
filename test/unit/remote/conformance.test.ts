/**
 * The conformance suite through the remote target gives the same results as the target used
 * directly: for every domain mix and the long mixed sequences, the lockstep conformance run with
 * the same seed checks the same number of ops, hits the same rules and reaches the same verdict —
 * against the native backend (agent binary, process isolation) and the emulator backend.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linux618 } from '../../../spec/profiles/index.js';
import { guestMemfdAvailable } from '../../../adapters/native/index.js';
import { inProcessBackend } from '../../../adapters/remote/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { type TargetKind, type TargetSetup } from '../../../models/target-setup.js';
import { setupTarget, type SetupOptions } from '../../../cli/targets.js';
import { spawnAgent, startAgent, TOKEN, type SpawnedAgent } from './_support/agents.js';
import { ALL_MIXES } from './_support/sequences.js';
import { opsOf, verdictOf } from './_support/verdict.js';

const native = guestMemfdAvailable();
const RUNS = 20;

const setup = async (kind: TargetKind, o: SetupOptions): Promise<TargetSetup> => {
  const r = await setupTarget(kind, o);
  if (!r.ok) throw new Error(r.reason);
  return r.setup;
};

const compareAllMixes = async (direct: TargetSetup, remote: TargetSetup) => {
  let ops = 0;
  const failed: string[] = [];
  for (const [name, mix] of ALL_MIXES) {
    const [a, b] = [await verdictOf(direct, mix, RUNS, 4242), await verdictOf(remote, mix, RUNS, 4242)];
    expect(b, name).toEqual(a);
    ops += opsOf(b);
    if (!b.pass) failed.push(name);
  }
  // Same verdicts either way; a conformance failure found on both sides is the kernel's (or the spec's), not ours.
  return { ops, failed };
};

describe('conformance through the remote target equals the direct target', () => {
  const spawned: SpawnedAgent[] = [];
  const env = { before: process.env['GMEMCHECK_TOKEN'] };
  beforeAll(() => { process.env['GMEMCHECK_TOKEN'] = TOKEN; });
  afterAll(async () => {
    if (env.before === undefined) delete process.env['GMEMCHECK_TOKEN'];
    else process.env['GMEMCHECK_TOKEN'] = env.before;
    await Promise.all(spawned.map((a) => a.kill()));
  });

  it.skipIf(!native.ok)(`native backend: agent binary on tcp loopback${native.ok ? '' : ` (skipped: ${native.reason})`}`, async () => {
    const agent = await spawnAgent(['--listen', '127.0.0.1:0', '--backend', 'native']);
    spawned.push(agent);
    const [direct, remote] = [await setup('native', {}), await setup('remote', { url: agent.url })];
    // The profile comes from the agent's probe exactly as it does from a local probe.
    expect(remote.profile).toEqual(direct.profile);
    expect(remote.limits).toEqual(direct.limits);
    expect([...remote.excluded].sort()).toEqual([...direct.excluded].sort());
    const { ops, failed } = await compareAllMixes(direct, remote);
    console.log(`conformance native: ${ops} ops through the agent, ${ALL_MIXES.length} mixes, failing on both sides: [${failed.join(', ')}]`);
  }, 60_000);

  it('emulator backend: in-process agent on tcp loopback', async () => {
    const agent = await startAgent(inProcessBackend('emulator', async (seed) => createEmulator({ profile: linux618, seed, bugs: [] })));
    const direct = await setup('emulator', { profile: linux618 });
    const remote = await setup('remote', { url: agent.url, profile: linux618, expectBackend: 'emulator' });
    const { ops, failed } = await compareAllMixes(direct, remote);
    console.log(`conformance emulator: ${ops} ops through the agent, ${ALL_MIXES.length} mixes, failing on both sides: [${failed.join(', ')}]`);
    await agent.close();
  }, 60_000);
});
