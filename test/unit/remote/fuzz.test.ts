/**
 * Why this test? The agent is a network service that runs kernel operations; it must survive any
 * input and must run nothing for a peer that has not proven it knows the token. 10,000+ generated
 * malformed, truncated, mistyped and unauthenticated messages (each under the pre-auth line limit)
 * each get exactly one error reply, the agent stays up, and the instrumented backend sees no apply
 * and no open. Over-long lines and wrong proofs before authentication end the connection.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from '../../../spec/vocab/codec.js';
import type { Op } from '../../../spec/vocab/index.js';
import { PREAUTH_MAX_BYTES } from '../../../adapters/remote/index.js';
import { newNonce } from '../../../adapters/remote/auth.js';
import { Counter, countingBackend, startAgent, TOKEN } from './_support/agents.js';
import { RawPeer } from './_support/raw-client.js';
import { PROBE_618 } from '../../support/probe-records.js';

const PROBE = { ...PROBE_618, target: 'fake', release: 'fake' };
const counter = new Counter();
const backend = countingBackend('fake', async () => ({
  name: 'fake', probe: async () => PROBE, apply: async () => ({ kind: 'ok' }), close: async () => undefined,
}), counter);

const VALID_OP: Op = { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 4096n };
const noNewline = (s: string): string => s.replace(/\n/g, ' ');

/** Requests that would be executed after a hello: without one, each must be refused. */
const validRequest = fc.oneof(
  fc.record({ type: fc.constant('probe') }),
  fc.record({ type: fc.constant('open'), seed: fc.integer() }),
  fc.record({ type: fc.constant('apply'), target: fc.nat(3), op: fc.constant(VALID_OP) }),
  fc.record({ type: fc.constant('closeTarget'), target: fc.nat(3) }),
  fc.record({ type: fc.constant('bye') }),
).chain((b) => fc.nat().map((id) => ({ v: 5, id, ...b })));

/** hello without a valid nonce (the v1 token field included), and auth before any hello. */
const badHello = fc.nat().chain((id) => fc.oneof(
  fc.constant({ v: 5, id, type: 'hello' }),
  fc.string({ maxLength: 60 }).map((clientNonce) => ({ v: 5, id, type: 'hello', clientNonce })),
  fc.constant({ v: 5, id, type: 'hello', token: TOKEN }),
  fc.constant({ v: 5, id, type: 'hello', clientNonce: newNonce(), token: TOKEN }),
  fc.constant({ v: 5, id, type: 'auth', proof: newNonce() }),
  fc.constant({ v: 5, id, type: 'auth' }),
));

const mutated = fc.tuple(validRequest, fc.string({ maxLength: 8 }), fc.anything()).map(([r, k, v]) => ({ ...r, [k || 'x']: v }));

type Msg = { readonly line: string; readonly category: string };
const as = (category: string) => (line: string): Msg => ({ line: noNewline(line), category });

const message: fc.Arbitrary<Msg> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 200 }).map(as('garbage')) },
  { weight: 2, arbitrary: fc.json().map(as('json-not-request')) },
  { weight: 4, arbitrary: validRequest.map((r) => stringify(r)).map(as('unauthenticated')) },
  { weight: 2, arbitrary: badHello.map((r) => stringify(r)).map(as('bad-hello')) },
  { weight: 2, arbitrary: fc.tuple(validRequest, fc.double({ min: 0, max: 1, noNaN: true })).map(([r, f]) => { const s = stringify(r); return s.slice(0, Math.floor(s.length * f)); }).map(as('truncated')) },
  { weight: 2, arbitrary: mutated.map((r) => stringify(r)).map(as('mutated')) },
  { weight: 1, arbitrary: fc.tuple(validRequest, fc.integer({ min: 0, max: 5 })).map(([r, v]) => stringify({ ...r, v })).map(as('version')) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: PREAUTH_MAX_BYTES / 2 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`).map(as('deep')) },
).filter((m) => Buffer.byteLength(m.line) <= PREAUTH_MAX_BYTES);

describe('agent under malformed and unauthenticated input', () => {
  let agent: Awaited<ReturnType<typeof startAgent>>;
  // The 10,000-message stream takes a few seconds on one unauthenticated connection.
  beforeAll(async () => { agent = await startAgent(backend, { authDeadlineMs: 60_000 }); });
  afterAll(async () => { await agent.close(); });

  it('answers each of 10,000 generated messages with an error and executes nothing without the token', async () => {
    const peer = await RawPeer.connect(agent.port);
    const seen = new Map<string, number>();
    let total = 0;
    await fc.assert(fc.asyncProperty(fc.array(message, { minLength: 100, maxLength: 100 }), async (batch) => {
      const replies = await peer.exchange(batch.map((m) => m.line));
      expect(replies).toHaveLength(batch.length);
      for (const [i, r] of replies.entries()) {
        expect(r, batch[i]!.category).toMatchObject({ v: 5, type: 'error' });
        seen.set(batch[i]!.category, (seen.get(batch[i]!.category) ?? 0) + 1);
      }
      total += batch.length;
    }), { numRuns: 101, seed: 20261122 });
    expect(peer.isClosed).toBe(false);
    expect(total).toBeGreaterThanOrEqual(10_000);
    expect(counter).toMatchObject({ applies: 0, opens: 0 });
    // Every category was exercised (counts go to the log for the report).
    expect([...seen.keys()].sort()).toEqual(['bad-hello', 'deep', 'garbage', 'json-not-request', 'mutated', 'truncated', 'unauthenticated', 'version'].sort());
    console.log(`fuzz: ${total} messages, by category ${JSON.stringify(Object.fromEntries(seen))}`);
    peer.close();
  }, 60_000);

  it('hangs up at once on an over-long line or a wrong proof before authentication', async () => {
    for (const extra of [1, 100, 64 * 1024]) {
      const peer = await RawPeer.connect(agent.port);
      const [r] = await peer.exchange(['x'.repeat(PREAUTH_MAX_BYTES + extra)]);
      expect(r).toMatchObject({ type: 'error', code: 'too-large' });
      await new Promise((res) => setTimeout(res, 50));
      expect(peer.isClosed).toBe(true);
    }
    for (let i = 0; i < 20; i++) {
      const peer = await RawPeer.connect(agent.port);
      expect(await peer.request({ v: 5, id: 1, type: 'hello', clientNonce: newNonce() })).toMatchObject({ type: 'challenge', auth: 'hmac-sha256' });
      expect(await peer.request({ v: 5, id: 2, type: 'auth', proof: newNonce() })).toMatchObject({ type: 'error', code: 'unauthenticated' });
      await new Promise((res) => setTimeout(res, 20));
      expect(peer.isClosed).toBe(true);
    }
    expect(counter).toMatchObject({ applies: 0, opens: 0 });
  });

  it('refuses generated invalid ops on an authenticated connection without reaching the backend', async () => {
    const peer = await RawPeer.connect(agent.port);
    expect(await peer.handshake(TOKEN)).toMatchObject({ type: 'hello', backend: 'fake' });
    expect(await peer.request({ v: 5, id: 3, type: 'open', seed: 0 })).toMatchObject({ type: 'ok', result: { kind: 'opened', target: 1 } });
    const before = counter.applies;
    const badOp = fc.oneof(
      fc.record({ kind: fc.string({ maxLength: 12 }) }),
      // (undefined is left out: the wire encoding drops undefined fields, which leaves a valid op)
      fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.anything().filter((v) => v !== undefined)).map(([k, v]) => ({ ...VALID_OP, [`${k}_`]: v })),
      fc.constantFrom('fd', 'mode', 'offset', 'len').map((k) => ({ ...VALID_OP, [k]: { bogus: [] } })),
      fc.constantFrom('fd', 'mode', 'offset', 'len').map((k) => Object.fromEntries(Object.entries(VALID_OP).filter(([f]) => f !== k))),
    );
    const ops = fc.sample(badOp, { numRuns: 1000, seed: 5 });
    const replies = await peer.exchange(ops.map((op, i) => stringify({ v: 5, id: 100 + i, type: 'apply', target: 1, op })));
    expect(replies.filter((r) => (r as { type: string }).type !== 'error')).toEqual([]);
    expect(replies.map((r) => (r as { id: number }).id)).toEqual(ops.map((_, i) => 100 + i));
    expect(counter.applies).toBe(before);
    // ...and a valid op on the same connection still runs.
    expect(await peer.request({ v: 5, id: 5000, type: 'apply', target: 1, op: VALID_OP })).toMatchObject({ type: 'outcome', outcome: { kind: 'ok' } });
    expect(counter.applies).toBe(before + 1);
    peer.close();
  });
});
