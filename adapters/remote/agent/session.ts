/**
 * One connection's state: authentication, its target instances, and the dispatch of each request
 * to the backend. The session is the agent's whole surface: it executes nothing but the op
 * vocabulary through Target.apply, answers every frame with exactly one response, and never
 * throws (a failure of any kind becomes an error response).
 *
 * Before the peer has authenticated (protocol v2: hello → challenge → auth), a line is at most
 * PREAUTH_MAX_BYTES (serve.ts frames it) and is read with plain JSON.parse: no bigint revival, no
 * op validation. Only hello and auth are looked at; anything else is answered 'unauthenticated'
 * and not parsed further. A wrong proof or an over-long line hangs up.
 */
import { match } from 'ts-pattern';
import type { Op } from '../../../spec/vocab/index.js';
import { canRunBranches, type BranchOptions } from '../../../spec/vocab/target.js';
import { HarnessError, TargetLimitError } from '../../../spec/vocab/errors.js';
import { PopulateBudget, limitedTarget, type LimitedTarget } from '../../limits.js';
import { agentProof, clientProof, newNonce, proofMatches } from '../auth.js';
import { PROTOCOL_VERSION, type ErrorCode, type Request, type RequestId, type Response, type ResponseBody } from '../protocol.js';
import { isRecord } from '../../../spec/vocab/check.js';
import { decodeRequest } from '../validate/message.js';
import { outcomeCheck } from '../validate/outcome.js';
import { decodeLine } from '../wire/encode.js';
import type { Frame } from '../wire/lines.js';
import type { Backend, BackendSession } from './backend.js';
import { DEFAULT_LIMITS, LIMIT_FLAGS, RateLimit, defaultAgentBudget, type SessionLimits } from './limits.js';
import { timed } from './timed.js';

export interface SessionOptions {
  readonly backend: Backend;
  /** The shared token both ends prove they know (TCP); undefined on stdio: ssh authenticated the peer. */
  readonly token: string | undefined;
  readonly opTimeoutMs: number;
  readonly agentVersion: string;
  /** Per-connection and per-target limits (defaults: limits.ts DEFAULT_LIMITS). */
  readonly limits?: Partial<SessionLimits>;
  /** The agent-wide populate budget shared by every session (one is made if absent). */
  readonly budget?: PopulateBudget;
  /** Asked once the peer has proven itself: false means no session slot is free ('busy'). */
  readonly admit?: () => boolean;
}

export interface Handled {
  readonly response: Response;
  /** Write the response, then hang up (bye, a failed authentication, a pre-auth line too long). */
  readonly hangup: boolean;
}

const MAX_ERROR_TEXT = 1000;

const error = (id: RequestId | null, code: ErrorCode, message: string): Response =>
  ({ v: PROTOCOL_VERSION, id, type: 'error', code, message: message.slice(0, MAX_ERROR_TEXT) });

/** A backend failure as an error response: harness errors keep their name, anything else is 'internal'. */
const failure = (id: RequestId, e: unknown): Response =>
  e instanceof TargetLimitError ? error(id, 'limit', e.message)
    : e instanceof HarnessError ? error(id, 'target-broken', `${e.name}: ${e.message}`)
      : error(id, 'internal', e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** The id of a pre-auth line, if it is a well-formed one (echoed in the error reply). */
const idOf = (v: Record<string, unknown>): RequestId | null =>
  Number.isSafeInteger(v['id']) && (v['id'] as number) >= 0 ? (v['id'] as number) : null;

export class AgentSession {
  private authenticated = false;
  /** hello seen: the two nonces this connection's proofs are made of. */
  private nonces: { readonly client: string; readonly agent: string } | undefined;
  private readonly targets = new Map<number, LimitedTarget>();
  private nextTarget = 1;
  private readonly backend: BackendSession;
  private readonly limits: SessionLimits;
  private readonly budget: PopulateBudget;
  private readonly rate: RateLimit;

  constructor(private readonly o: SessionOptions) {
    this.backend = o.backend.session();
    this.limits = { ...DEFAULT_LIMITS, ...o.limits };
    this.budget = o.budget ?? new PopulateBudget(defaultAgentBudget());
    this.rate = new RateLimit(this.limits.opsPerSecond);
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  async handle(frame: Frame): Promise<Handled> {
    try {
      return await this.dispatch(frame);
    } catch (e) {
      return { response: error(null, 'internal', e instanceof Error ? e.message : String(e)), hangup: false };
    }
  }

  /** The connection is gone: close every target it opened (VMs, files, mappings). */
  async end(): Promise<void> {
    const all = [...this.targets.values()];
    this.targets.clear();
    await Promise.allSettled(all.map((t) => timed(t.close(), this.o.opTimeoutMs)));
    await timed(this.backend.close(), this.o.opTimeoutMs);
  }

  private async dispatch(frame: Frame): Promise<Handled> {
    if (frame.kind === 'oversized') {
      const why = `message longer than ${frame.limit} bytes`;
      return this.authenticated
        ? this.reply(error(null, 'too-large', `${why}; the rest of the line was discarded`))
        : this.reply(error(null, 'too-large', `${why} before authentication; hanging up`), true);
    }
    if (!this.authenticated) return this.preAuth(frame.text);
    const json = decodeLine(frame.text);
    if (!json.ok) return this.reply(error(null, 'bad-json', `not JSON: ${json.reason}`));
    const req = decodeRequest(json.value);
    if (!req.ok) return this.reply(error(req.id, req.code, req.message));
    return this.request(req.msg);
  }

  /** Cheap checks only: plain JSON.parse of a short line, then hello or auth, nothing else. */
  private async preAuth(text: string): Promise<Handled> {
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      return this.reply(error(null, 'bad-json', 'not JSON'));
    }
    if (!isRecord(v)) return this.reply(error(null, 'bad-json', 'a request must be a JSON object'));
    const id = idOf(v);
    if (v['v'] !== PROTOCOL_VERSION) {
      return this.reply(error(id, 'version', `unsupported protocol version; this agent speaks v${PROTOCOL_VERSION}`));
    }
    if (v['type'] !== 'hello' && v['type'] !== 'auth') {
      return this.reply(error(id, 'unauthenticated', 'not executed: authenticate first (hello, then auth)'));
    }
    const req = decodeRequest(v);
    if (!req.ok) return this.reply(error(req.id, req.code, req.message));
    const r = req.msg;
    if (r.type === 'hello') return this.hello(r.id, r.clientNonce);
    if (r.type === 'auth') return this.auth(r.id, r.proof);
    return this.reply(error(r.id, 'unauthenticated', 'not executed: authenticate first'));
  }

  private reply(response: Response, hangup = false): Handled {
    return { response, hangup };
  }

  private ok(id: RequestId, body: ResponseBody, hangup = false): Handled {
    return { response: { v: PROTOCOL_VERSION, id, ...body }, hangup };
  }

  private request(r: Request): Promise<Handled> {
    return match(r)
      .with({ type: 'hello' }, { type: 'auth' }, ({ id }) => Promise.resolve(this.reply(error(id, 'already-authenticated', 'already authenticated'))))
      .with({ type: 'probe' }, async ({ id }) => {
        const info = await this.o.backend.info();
        return this.ok(id, { type: 'ok', result: { kind: 'probe', probe: info.probe } });
      })
      .with({ type: 'open' }, ({ id, seed }) => this.open(id, seed))
      .with({ type: 'apply' }, ({ id, target, op }) => this.apply(id, target, op))
      .with({ type: 'closeTarget' }, ({ id, target }) => this.closeTarget(id, target))
      .with({ type: 'branches' }, ({ id, target, branches, choices, schedule }) =>
        this.branches(id, target, branches, { ...(choices ? { choices } : {}), ...(schedule ? { schedule } : {}) }))
      .with({ type: 'bye' }, async ({ id }) => {
        await this.end();
        return this.ok(id, { type: 'ok', result: { kind: 'done' } }, true);
      })
      .exhaustive()
      .catch((e: unknown) => this.reply(failure(r.id, e)));
  }

  /** The agent proves itself first, so a client never gives its proof to an impostor. */
  private hello(id: RequestId, clientNonce: string): Handled {
    if (this.nonces !== undefined) return this.reply(error(id, 'already-authenticated', 'hello was already sent on this connection'));
    const agentNonce = newNonce();
    this.nonces = { client: clientNonce, agent: agentNonce };
    const t = this.o.token;
    return this.ok(id, t === undefined
      ? { type: 'challenge', agentNonce, auth: 'none' }
      : { type: 'challenge', agentNonce, auth: 'hmac-sha256', proof: agentProof(t, clientNonce, agentNonce) });
  }

  private async auth(id: RequestId, proof: string | undefined): Promise<Handled> {
    const n = this.nonces;
    if (n === undefined) return this.reply(error(id, 'unauthenticated', 'auth before hello'));
    const t = this.o.token;
    if (t !== undefined && !proofMatches(clientProof(t, n.client, n.agent), proof)) {
      return this.reply(error(id, 'unauthenticated', proof === undefined ? 'this agent requires a proof of the token' : 'wrong proof: the token differs'), true);
    }
    if (this.o.admit && !this.o.admit()) return this.reply(error(id, 'busy', 'the agent serves as many sessions as it will; try again later'), true);
    this.authenticated = true;
    const info = await timed(this.o.backend.info(), this.o.opTimeoutMs * 4);
    if (info.kind === 'timeout') return this.reply(error(id, 'timeout', 'backend probe did not finish'), true);
    if (info.kind === 'failed') return this.reply(failure(id, info.error), true);
    const { name, kernelRelease, probe } = info.value;
    return this.ok(id, { type: 'hello', protocolVersion: PROTOCOL_VERSION, agentVersion: this.o.agentVersion, kernelRelease, backend: name, probe });
  }

  private async open(id: RequestId, seed: number): Promise<Handled> {
    if (this.targets.size >= this.limits.targets) {
      return this.reply(error(id, 'limit', `agent limit: at most ${this.limits.targets} open targets per connection; close one first`));
    }
    const t = await timed(this.backend.open(seed), this.o.opTimeoutMs * 4);
    if (t.kind === 'timeout') return this.reply(error(id, 'timeout', 'backend did not open a target in time'));
    if (t.kind === 'failed') return this.reply(failure(id, t.error));
    const tid = this.nextTarget++;
    this.targets.set(tid, limitedTarget(t.value, this.limits, LIMIT_FLAGS, this.budget));
    return this.ok(id, { type: 'ok', result: { kind: 'opened', target: tid, name: t.value.name } });
  }

  private async apply(id: RequestId, tid: number, op: Op): Promise<Handled> {
    const target = this.targets.get(tid);
    if (target === undefined) return this.reply(error(id, 'unknown-target', `no open target ${tid} on this connection`));
    await this.rate.take();
    const r = await timed(target.apply(op), this.o.opTimeoutMs);
    if (r.kind === 'timeout') {
      // The op may never return (an unanswered userfault): the target is unusable from now on.
      this.targets.delete(tid);
      target.release();
      this.backend.abandon(target.inner);
      return this.reply(error(id, 'timeout', `${op.kind} did not finish within ${this.o.opTimeoutMs} ms; target ${tid} discarded`));
    }
    if (r.kind === 'failed') return this.reply(failure(id, r.error));
    const bad = outcomeCheck(r.value, '$outcome');
    if (bad !== undefined) return this.reply(error(id, 'internal', `backend returned a malformed outcome: ${bad}`));
    return this.ok(id, { type: 'outcome', outcome: r.value });
  }

  /**
   * A parallel case's branches on one target. The backend target checks what a branch may hold
   * (BadOpError: 'target-broken' with its name, nothing ran); each op counts against the rate
   * limit; the whole run gets the deadline of an op (the threads' waits are bounded well below it).
   */
  private async branches(id: RequestId, tid: number, branches: readonly (readonly Op[])[], o: BranchOptions): Promise<Handled> {
    const target = this.targets.get(tid);
    if (target === undefined) return this.reply(error(id, 'unknown-target', `no open target ${tid} on this connection`));
    if (!canRunBranches(target)) return this.reply(error(id, 'bad-request', `the ${this.o.backend.name} backend cannot run branches concurrently`));
    for (let i = 0; i < branches.flat().length; i++) await this.rate.take();
    const r = await timed(target.runBranches(branches, o), this.o.opTimeoutMs);
    if (r.kind === 'timeout') {
      this.targets.delete(tid);
      target.release();
      this.backend.abandon(target.inner);
      return this.reply(error(id, 'timeout', `branches did not finish within ${this.o.opTimeoutMs} ms; target ${tid} discarded`));
    }
    if (r.kind === 'failed') return this.reply(failure(id, r.error));
    const bad = r.value.branches.flatMap((b) => b.map((t) => outcomeCheck(t.outcome, '$outcome'))).find((e) => e !== undefined);
    if (bad !== undefined) return this.reply(error(id, 'internal', `backend returned a malformed outcome: ${bad}`));
    return this.ok(id, { type: 'branchRun', run: r.value });
  }

  private async closeTarget(id: RequestId, tid: number): Promise<Handled> {
    const target = this.targets.get(tid);
    if (target === undefined) return this.reply(error(id, 'unknown-target', `no open target ${tid} on this connection`));
    this.targets.delete(tid);
    const r = await timed(target.close(), this.o.opTimeoutMs);
    if (r.kind === 'timeout') this.backend.abandon(target.inner);
    if (r.kind === 'failed') return this.reply(failure(id, r.error));
    return this.ok(id, { type: 'ok', result: { kind: 'done' } });
  }
}
