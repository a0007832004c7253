/**
 * Issue 12's property: hostile op fields (±2^64, 2^127, the 64-bit edges, negative lengths, NaN,
 * ±Infinity, fractions, wrong types, huge arrays, missing and extra fields, unknown kinds; every op
 * kind, guest_memfd ones included) go through both ways untrusted ops reach the native target:
 *
 * - an agent over TCP loopback, serving the native target in this very process, and
 * - replay: replay tokens and trace files, decoded and validated as `gmemcheck replay` does, then
 *   run on a native target (what `replay --target native` runs).
 *
 * 10,000 ops per transport. Each op is rejected (a named harness error: validation, a limit, an op
 * the target cannot issue) or comes back as a well-formed kernel outcome; and afterwards the
 * process's own memory is untouched (the canary of ./_hostile.ts), and no fd, VM, mapping or
 * helper thread is left behind. This host has no guest_memfd: gmem ops come back as ENOTTY or as
 * dead-handle answers, never as a crash.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROBE_618 } from '../../support/probe-records.js';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { HarnessError } from '../../../spec/vocab/errors.js';
import { loadBinding } from '../../../adapters/native/_internals/binding.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { RemoteClient, inProcessBackend } from '../../../adapters/remote/index.js';
import { AgentUnreachableError } from '../../../spec/vocab/errors.js';
import { outcomeCheck } from '../../../adapters/remote/validate/outcome.js';
import { pack } from '../../../spec/vocab/codec.js';
import { TOKEN_PREFIX } from '../../../models/report/token.js';
import { buildTrace, traceJson } from '../../../models/report/trace.js';
import { loadCase } from '../../../cli/case-source.js';
import { UsageError } from '../../../cli/errors.js';
import { startAgent, TOKEN_ENV } from '../remote/_support/agents.js';
import { describeNative } from './_support.js';
import { mapsCount } from './_guard-support.js';
import { Canary, hostileOp, SETUP } from './_hostile.js';

const OPS_PER_TRANSPORT = 10_000;
const fds = (): number => readdirSync('/proc/self/fd').length;

/** What became of each op: an outcome, or the harness error class that refused it. */
class Tally {
  readonly by = new Map<string, number>();
  total = 0;
  add(what: string, n = 1): void {
    this.by.set(what, (this.by.get(what) ?? 0) + n);
    this.total += n;
  }
  get outcomes(): number {
    return [...this.by].filter(([k]) => k.startsWith('outcome')).reduce((a, [, n]) => a + n, 0);
  }
  text(): string {
    return [...this.by].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
  }
}

/** Runs one op; an outcome must be well formed, a refusal a named harness error (never a crash). */
const one = async (apply: (op: Op) => Promise<Outcome>, op: unknown, tally: Tally): Promise<void> => {
  try {
    const o = await apply(op as Op);
    const bad = outcomeCheck(o, '$');
    if (bad !== undefined) throw new Error(`malformed outcome for ${String((op as { kind?: unknown }).kind)}: ${bad}`);
    tally.add(`outcome:${o.kind === 'errno' ? o.errno : o.kind}`);
  } catch (e) {
    if (!(e instanceof HarnessError) || e instanceof AgentUnreachableError) throw e;
    tally.add(e.name);
  }
};

describeNative('hostile op fields through the agent and through replay (issue 12)', () => {
  const b = loadBinding().binding!;
  let canary: Canary;
  let before: { fds: number; maps: number };
  beforeAll(() => {
    canary = new Canary(b);
    before = { fds: fds(), maps: mapsCount() };
  });
  afterAll(() => canary.close());

  const settled = async (): Promise<void> => {
    // Sockets of a closed connection leave the fd table on the next turns of the event loop.
    for (let i = 0; i < 50 && fds() > before.fds; i++) await new Promise((r) => setTimeout(r, 20));
    expect(canary.damage()).toBeUndefined();
    expect(fds(), 'fds (VMs, memfds, uffds, sockets) leaked').toBe(before.fds);
    expect(mapsCount(), 'mappings leaked').toBe(before.maps);
    expect(b.stuckCount(), 'userfault helper threads left').toBe(0);
  };

  it(`${OPS_PER_TRANSPORT} hostile ops through an agent on TCP loopback serving the native target in this process`, async () => {
    const t0 = Date.now();
    const agent = await startAgent(inProcessBackend('native', async () => createNativeTarget({ uffdTimeoutMs: 200 })));
    const client = new RemoteClient(agent.url, { env: TOKEN_ENV });
    const tally = new Tally();
    const sequences = fc.sample(fc.array(hostileOp(0.5), { minLength: 50, maxLength: 50 }), { numRuns: OPS_PER_TRANSPORT / 50, seed: 1212 });
    try {
      for (const [i, ops] of sequences.entries()) {
        const t = await client.makeTarget(i);
        for (const op of SETUP) await t.apply(op);
        for (const op of ops) await one((o) => t.apply(o), op, tally);
        await t.close();
      }
    } finally {
      await client.close();
      await agent.close();
    }
    console.log(`hostile fuzz, agent: ${tally.total} ops in ${Date.now() - t0} ms: ${tally.text()}`);
    expect(tally.total).toBe(OPS_PER_TRANSPORT);
    expect(tally.outcomes).toBeGreaterThan(OPS_PER_TRANSPORT / 4);
    await settled();
  });

  it(`${OPS_PER_TRANSPORT} hostile ops through replay (tokens and trace files), run on the native target`, async () => {
    const t0 = Date.now();
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-hostile-'));
    const tally = new Tally();
    const cases = fc.sample(fc.array(hostileOp(0.04), { minLength: 10, maxLength: 10 }), { numRuns: OPS_PER_TRANSPORT / 10, seed: 3434 });
    try {
      for (const [i, ops] of cases.entries()) {
        const all = [...SETUP, ...ops] as Op[];
        let arg: string;
        if (i % 2 === 0) {
          arg = TOKEN_PREFIX + pack({ profile: 'linux-6.18', ops: all });
        } else {
          arg = path.join(dir, `trace-${i}.json`);
          const steps = all.map((op) => ({ op, observed: { kind: 'ok' } as Outcome, allowed: [], rules: [] }));
          const f = { index: all.length - 1, target: 'native', profile: linux618, stateBefore: { files: [], text: '' }, steps };
          writeFileSync(arg, traceJson(buildTrace(f, { phase: 'first', probe: { ...PROBE_618, release: 'x' }, bugs: [] })));
        }
        let c;
        try {
          c = loadCase(arg);
        } catch (e) {
          if (!(e instanceof UsageError)) throw e;
          tally.add('rejected by replay validation', ops.length);
          continue;
        }
        // What `gmemcheck replay --target native` runs the ops on (cli/targets.ts).
        const t = await createNativeTarget({ uffdTimeoutMs: 200 });
        try {
          for (const op of c.ops.slice(0, SETUP.length)) await t.apply(op);
          for (const op of c.ops.slice(SETUP.length)) await one((o) => t.apply(o), op, tally);
        } finally {
          await t.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`hostile fuzz, replay: ${tally.total} ops in ${Date.now() - t0} ms: ${tally.text()}`);
    expect(tally.total).toBe(OPS_PER_TRANSPORT);
    // Both halves are exercised: whole cases refused by validation, and ops run on the kernel.
    expect(tally.by.get('rejected by replay validation')).toBeGreaterThan(OPS_PER_TRANSPORT / 10);
    expect(tally.outcomes).toBeGreaterThan(OPS_PER_TRANSPORT / 4);
    await settled();
  });
});
