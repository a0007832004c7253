/**
 * One connection's state: authentication, its target instances, and the dispatch of each request
 * to the backend. The session is the agent's whole surface: it executes nothing but the op
 * vocabulary through Target.apply, answers every frame with exactly one response, and never
 * throws (a failure of any kind becomes an error response).
 */
import { match } from 'ts-pattern';
import type { Op } from '../../../spec/vocab/index.js';
import { HarnessError } from '../../../spec/vocab/errors.js';
import type { Target } from '../../../spec/vocab/target.js';
import { PROTOCOL_VERSION, type ErrorCode, type Request, type RequestId, type Response, type ResponseBody } from '../protocol.js';
import { tokensMatch } from '../token.js';
import { decodeRequest } from '../validate/message.js';
import { outcomeCheck } from '../validate/outcome.js';
import { decodeLine } from '../wire/encode.js';
import type { Frame } from '../wire/lines.js';
import type { Backend, BackendSession } from './backend.js';
import { timed } from './timed.js';

export interface SessionOptions {
  readonly backend: Backend;
  /** Required in every hello when set (TCP); stdio passes undefined: ssh already authenticated the peer. */
  readonly token: string | undefined;
  readonly opTimeoutMs: number;
  readonly agentVersion: string;
}

export interface Handled {
  readonly response: Response;
  /** The client said bye: write the response, then hang up. */
  readonly hangup: boolean;
}

const MAX_ERROR_TEXT = 1000;

const error = (id: RequestId | null, code: ErrorCode, message: string): Response =>
  ({ v: PROTOCOL_VERSION, id, type: 'error', code, message: message.slice(0, MAX_ERROR_TEXT) });

/** A backend failure as an error response: harness errors keep their name, anything else is 'internal'. */
const failure = (id: RequestId, e: unknown): Response =>
  e instanceof HarnessError
    ? error(id, 'target-broken', `${e.name}: ${e.message}`)
    : error(id, 'internal', e instanceof Error ? `${e.name}: ${e.message}` : String(e));

export class AgentSession {
  private authenticated = false;
  private readonly targets = new Map<number, Target>();
  private nextTarget = 1;
  private readonly backend: BackendSession;

  constructor(private readonly o: SessionOptions) {
    this.backend = o.backend.session();
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
      return this.reply(error(null, 'too-large', `message longer than ${frame.limit} bytes; the rest of the line was discarded`));
    }
    const json = decodeLine(frame.text);
    if (!json.ok) return this.reply(error(null, 'bad-json', `not JSON: ${json.reason}`));
    const req = decodeRequest(json.value);
    if (!req.ok) return this.reply(error(req.id, req.code, req.message));
    const r = req.msg;
    if (!this.authenticated && r.type !== 'hello') {
      return this.reply(error(r.id, 'unauthenticated', `'${r.type}' before a successful hello: not executed`));
    }
    return this.request(r);
  }

  private reply(response: Response, hangup = false): Handled {
    return { response, hangup };
  }

  private ok(id: RequestId, body: ResponseBody, hangup = false): Handled {
    return { response: { v: PROTOCOL_VERSION, id, ...body }, hangup };
  }

  private request(r: Request): Promise<Handled> {
    return match(r)
      .with({ type: 'hello' }, (h) => this.hello(h.id, h.token))
      .with({ type: 'probe' }, async ({ id }) => {
        const info = await this.o.backend.info();
        return this.ok(id, { type: 'ok', result: { kind: 'probe', probe: info.probe } });
      })
      .with({ type: 'open' }, ({ id, seed }) => this.open(id, seed))
      .with({ type: 'apply' }, ({ id, target, op }) => this.apply(id, target, op))
      .with({ type: 'closeTarget' }, ({ id, target }) => this.closeTarget(id, target))
      .with({ type: 'bye' }, async ({ id }) => {
        await this.end();
        return this.ok(id, { type: 'ok', result: { kind: 'done' } }, true);
      })
      .exhaustive()
      .catch((e: unknown) => this.reply(failure(r.id, e)));
  }

  private async hello(id: RequestId, token: string | undefined): Promise<Handled> {
    if (this.authenticated) return this.reply(error(id, 'already-authenticated', 'hello was already accepted on this connection'));
    if (this.o.token !== undefined && !tokensMatch(this.o.token, token)) {
      return this.reply(error(id, 'unauthenticated', token === undefined ? 'this agent requires a token' : 'wrong token'));
    }
    const info = await timed(this.o.backend.info(), this.o.opTimeoutMs * 4);
    if (info.kind === 'timeout') return this.reply(error(id, 'timeout', 'backend probe did not finish'));
    if (info.kind === 'failed') return this.reply(failure(id, info.error));
    this.authenticated = true;
    const { name, kernelRelease, probe } = info.value;
    return this.ok(id, { type: 'hello', protocolVersion: PROTOCOL_VERSION, agentVersion: this.o.agentVersion, kernelRelease, backend: name, probe });
  }

  private async open(id: RequestId, seed: number): Promise<Handled> {
    const t = await timed(this.backend.open(seed), this.o.opTimeoutMs * 4);
    if (t.kind === 'timeout') return this.reply(error(id, 'timeout', 'backend did not open a target in time'));
    if (t.kind === 'failed') return this.reply(failure(id, t.error));
    const tid = this.nextTarget++;
    this.targets.set(tid, t.value);
    return this.ok(id, { type: 'ok', result: { kind: 'opened', target: tid, name: t.value.name } });
  }

  private async apply(id: RequestId, tid: number, op: Op): Promise<Handled> {
    const target = this.targets.get(tid);
    if (target === undefined) return this.reply(error(id, 'unknown-target', `no open target ${tid} on this connection`));
    const r = await timed(target.apply(op), this.o.opTimeoutMs);
    if (r.kind === 'timeout') {
      // The op may never return (an unanswered userfault): the target is unusable from now on.
      this.targets.delete(tid);
      this.backend.abandon(target);
      return this.reply(error(id, 'timeout', `${op.kind} did not finish within ${this.o.opTimeoutMs} ms; target ${tid} discarded`));
    }
    if (r.kind === 'failed') return this.reply(failure(id, r.error));
    const bad = outcomeCheck(r.value, '$outcome');
    if (bad !== undefined) return this.reply(error(id, 'internal', `backend returned a malformed outcome: ${bad}`));
    return this.ok(id, { type: 'outcome', outcome: r.value });
  }

  private async closeTarget(id: RequestId, tid: number): Promise<Handled> {
    const target = this.targets.get(tid);
    if (target === undefined) return this.reply(error(id, 'unknown-target', `no open target ${tid} on this connection`));
    this.targets.delete(tid);
    const r = await timed(target.close(), this.o.opTimeoutMs);
    if (r.kind === 'timeout') this.backend.abandon(target);
    if (r.kind === 'failed') return this.reply(failure(id, r.error));
    return this.ok(id, { type: 'ok', result: { kind: 'done' } });
  }
}
