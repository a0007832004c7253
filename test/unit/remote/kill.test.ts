/**
 * Why this test? An agent that dies mid-run (VM rebooted, OOM-killed, ssh dropped) must turn the
 * affected property into an infrastructure error — never a pass, never a conformance failure —
 * without losing the outcomes already delivered, and the run must carry on once an agent is back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { AgentUnreachableError } from '../../../spec/vocab/errors.js';
import type { TargetFactory } from '../../../spec/vocab/target.js';
import { RemoteClient } from '../../../adapters/remote/index.js';
import { EMULATOR_LIMITS } from '../../../models/generate/context.js';
import { MIXED } from '../../../models/generate/mixes.js';
import { checkConformance, ConformanceError, InfrastructureError } from '../../../models/property.js';
import type { TargetSetup } from '../../../models/target-setup.js';
import { spawnAgent, TOKEN_ENV, type SpawnedAgent } from './_support/agents.js';
import { opsOf, verdictOf } from './_support/verdict.js';
import { runSequence } from './_support/sequences.js';

interface Recorded { readonly seed: number; readonly ops: Op[]; readonly outcomes: Outcome[] }

/** Wraps a factory to record every delivered outcome, and runs `kill` once `killAfter` outcomes arrived. */
const recording = (inner: TargetFactory, log: Recorded[], killAfter: number, kill: () => Promise<void>): TargetFactory => async (seed) => {
  const t = await inner(seed);
  const rec: Recorded = { seed, ops: [], outcomes: [] };
  log.push(rec);
  return {
    name: t.name, probe: () => t.probe(), close: () => t.close(),
    apply: async (op) => {
      rec.ops.push(op);
      const o = await t.apply(op);
      rec.outcomes.push(o);
      if (log.reduce((a, r) => a + r.outcomes.length, 0) === killAfter) await kill();
      return o;
    },
  };
};

const emulator: TargetFactory = async (seed) => createEmulator({ profile: linux618, seed, bugs: [] });
const options = (makeTarget: TargetFactory) =>
  ({ profile: linux618, makeTarget, mix: MIXED, maxLength: 30, limits: EMULATOR_LIMITS, excluded: new Set<never>() });

describe('agent killed mid-run', () => {
  const agents: SpawnedAgent[] = [];
  afterAll(async () => { await Promise.all(agents.map((a) => a.kill())); });

  it('reports an infrastructure error, loses no delivered outcome, and resumes after reconnecting', async () => {
    const first = await spawnAgent(['--listen', '127.0.0.1:0', '--backend', 'emulator']);
    agents.push(first);
    const port = Number(/:(\d+)$/.exec(first.url)![1]);
    const client = new RemoteClient(first.url, { env: TOKEN_ENV });
    const log: Recorded[] = [];
    const KILL_AFTER = 150;

    const killed = await checkConformance(options(recording(client.makeTarget, log, KILL_AFTER, () => first.kill())), { numRuns: 100, seed: 77 })
      .then(() => 'passed', (e: unknown) => e);
    expect(killed).toBeInstanceOf(InfrastructureError);
    expect(killed).not.toBeInstanceOf(ConformanceError);
    expect((killed as Error).cause).toBeInstanceOf(AgentUnreachableError);

    // Exactly the outcomes the agent completed before it died were delivered, and each is the one a
    // direct emulator gives for the same seed and ops (nothing lost, nothing invented).
    const delivered = log.reduce((a, r) => a + r.outcomes.length, 0);
    expect(delivered).toBe(KILL_AFTER);
    for (const r of log.filter((x) => x.outcomes.length > 0)) {
      expect(await runSequence(emulator, r.seed, r.ops.slice(0, r.outcomes.length))).toEqual(r.outcomes);
    }

    // A new agent on the same port: the next target creation reconnects, and the run reaches the
    // same verdict as the same run on a direct emulator (a pass, or the same counterexample).
    const second = await spawnAgent(['--listen', `127.0.0.1:${port}`, '--backend', 'emulator']);
    agents.push(second);
    const connectsBefore = client.connects;
    const setup = (makeTarget: TargetFactory): TargetSetup =>
      ({ kind: 'emulator', profile: linux618, makeTarget, probe: undefined as never, unsupported: {}, excluded: new Set(), limits: EMULATOR_LIMITS, undecided: [], replay: { bugs: [], target: 'emulator' } });
    const after: Recorded[] = [];
    const resumed = await verdictOf(setup(recording(client.makeTarget, after, -1, async () => undefined)), MIXED, 20, 78, 30);
    const deliveredAfter = after.reduce((a, r) => a + r.outcomes.length, 0);
    expect(deliveredAfter).toBeGreaterThan(0);
    expect(resumed).toEqual(await verdictOf(setup(emulator), MIXED, 20, 78, 30));
    expect(client.connects).toBe(connectsBefore + 1);
    console.log(`kill: ${delivered} outcomes delivered before the kill; ${deliveredAfter} after reconnecting; verdict ${resumed.pass ? `pass (${opsOf(resumed)} ops)` : 'the same counterexample as direct'}`);
    await client.close();
  }, 30_000);

  it('fails an op in flight with AgentUnreachableError instead of hanging', async () => {
    const agent = await spawnAgent(['--listen', '127.0.0.1:0', '--backend', 'emulator']);
    agents.push(agent);
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    const t = await client.makeTarget(0);
    const inFlight = t.apply({ kind: 'createVm', id: 0, type: 0 }).then((o) => o, (e: unknown) => e);
    await agent.kill();
    const r = await inFlight;
    // The reply may have left the agent before the kill; otherwise the op must fail as unreachable.
    expect(r instanceof AgentUnreachableError || (r as Outcome).kind === 'ok').toBe(true);
    await expect(t.apply({ kind: 'createVm', id: 1, type: 0 })).rejects.toBeInstanceOf(AgentUnreachableError);
    await expect(client.makeTarget(1)).rejects.toBeInstanceOf(AgentUnreachableError);
  });
});
