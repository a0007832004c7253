/**
 * One live connection to an agent: the hello handshake, request/response matching by id, a
 * deadline on every request, and strict validation of every response. When the channel drops,
 * every pending and later request fails with AgentUnreachableError; the connection never
 * recovers (RemoteClient opens a new one for the next target).
 */
import { AgentUnreachableError, BadOpError, HarnessError, TargetBrokenError, TargetTimeoutError } from '../../../spec/vocab/errors.js';
import { agentProof, clientProof, newNonce, proofMatches } from '../auth.js';
import { AgentAuthError, AgentBackendError, AgentLimitError, AgentProtocolError } from '../errors.js';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type RequestBody, type Response, type ResponseBody } from '../protocol.js';
import { decodeResponse } from '../validate/message.js';
import { decodeLine, encodeLine } from '../wire/encode.js';
import { LineSplitter } from '../wire/lines.js';
import type { Channel } from './channel.js';

export type HelloInfo = Extract<ResponseBody, { type: 'hello' }>;

export interface OpenOptions {
  /** Refuse an agent that does not prove it knows the token (TCP). */
  readonly requireProof?: boolean;
  /** Refuse an agent whose backend is not this one. */
  readonly expectBackend?: string;
}

interface Pending {
  readonly resolve: (r: ResponseBody) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** An agent error reply as the harness error it stands for. */
const replyError = (r: Extract<ResponseBody, { type: 'error' }>, what: string): HarnessError => {
  const msg = `agent refused ${what}: ${r.code}: ${r.message}`;
  // The agent prefixes a backend's harness error with its class name; keep the class across the wire.
  if (r.code === 'timeout' || r.message.startsWith('TargetTimeoutError:')) return new TargetTimeoutError(msg);
  if (r.message.startsWith('BadOpError:')) return new BadOpError(msg);
  if (r.code === 'target-broken' || r.code === 'unknown-target') return new TargetBrokenError(msg);
  if (r.code === 'unauthenticated') return new AgentAuthError(msg);
  if (r.code === 'limit' || r.code === 'busy') return new AgentLimitError(msg);
  return new AgentProtocolError(msg);
};

export class AgentConnection {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private broken: HarnessError | undefined;
  hello: HelloInfo | undefined;

  private constructor(private readonly ch: Channel, readonly label: string, private readonly timeoutMs: number) {
    const split = new LineSplitter(MAX_MESSAGE_BYTES);
    ch.input.on('data', (chunk: Buffer) => {
      for (const f of split.push(chunk)) {
        if (f.kind === 'oversized') return this.fail(new AgentProtocolError(`${label}: response longer than ${f.limit} bytes`));
        this.receive(f.text);
      }
    });
    ch.input.on('error', () => undefined);
    ch.onClose(() => this.fail(new AgentUnreachableError(`agent at ${label} is gone: ${ch.why()}`)));
    ch.setRef(false);
  }

  /**
   * Opens the channel's session (protocol v2, ../auth.ts): hello with a fresh nonce; the agent
   * answers with its nonce and its proof of the token, which is checked before this side proves
   * anything; then auth with this side's proof, answered by the agent's hello. The token itself is
   * never sent. `o.requireProof` (TCP): an agent that does not prove the token is refused.
   * `o.expectBackend`: an agent serving another backend (the emulator where a kernel was to be
   * tested) is refused with AgentBackendError.
   */
  static async open(ch: Channel, label: string, token: string | undefined, timeoutMs: number, o: OpenOptions = {}): Promise<AgentConnection> {
    const c = new AgentConnection(ch, label, timeoutMs);
    try {
      const clientNonce = newNonce();
      // The auth answer may wait for the agent's probe (a child process start on a native backend).
      const ch1 = await c.request({ type: 'hello', clientNonce }, 'hello', timeoutMs * 4);
      if (ch1.type !== 'challenge') throw new AgentProtocolError(`${label}: hello answered with '${ch1.type}'`);
      let proof: string | undefined;
      if (ch1.auth === 'hmac-sha256') {
        if (token === undefined) throw new AgentAuthError(`${label}: the agent requires a token (GMEMCHECK_TOKEN_FILE or GMEMCHECK_TOKEN)`);
        if (!proofMatches(agentProof(token, clientNonce, ch1.agentNonce), ch1.proof)) {
          throw new AgentAuthError(`${label}: the agent could not prove that it knows the token; refused (nothing was sent to it)`);
        }
        proof = clientProof(token, clientNonce, ch1.agentNonce);
      } else if (o.requireProof) {
        throw new AgentAuthError(`${label}: the agent does not authenticate itself (auth: none); over TCP both ends must prove the token`);
      }
      const r = await c.request({ type: 'auth', ...(proof !== undefined ? { proof } : {}) }, 'auth', timeoutMs * 4);
      if (r.type !== 'hello') throw new AgentProtocolError(`${label}: auth answered with '${r.type}'`);
      if (o.expectBackend !== undefined && r.backend !== o.expectBackend) {
        throw new AgentBackendError(
          `${label}: the agent serves the ${r.backend} backend, not ${o.expectBackend} (${r.kernelRelease}); ` +
            'nothing here would test a kernel. Fix the agent (its log says why), or set GMEMCHECK_AGENT_BACKEND=' + r.backend + ' if that is what you meant',
        );
      }
      c.hello = r;
      return c;
    } catch (e) {
      c.close();
      throw e;
    }
  }

  get alive(): boolean {
    return this.broken === undefined;
  }

  /**
   * Sends one request and waits for its response. Error replies become the matching harness error;
   * no reply within the deadline means the agent is unusable: the connection is dropped.
   */
  request(body: RequestBody, what: string = body.type, timeoutMs = this.timeoutMs): Promise<ResponseBody> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    // A line the agent would cut off is not sent: its too-large answer could not name the request.
    let line: string;
    try {
      line = encodeLine({ v: PROTOCOL_VERSION, id, ...body });
    } catch (e) {
      return Promise.reject(new BadOpError(`${what}: cannot be encoded: ${e instanceof Error ? e.message : String(e)}`));
    }
    if (Buffer.byteLength(line) > MAX_MESSAGE_BYTES + 1) {
      return Promise.reject(new BadOpError(`${what}: the request is longer than the protocol's ${MAX_MESSAGE_BYTES} bytes; not sent`));
    }
    return new Promise<ResponseBody>((resolve, reject) => {
      const timer = setTimeout(
        () => this.fail(new AgentUnreachableError(`agent at ${this.label} did not answer ${what} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.pending.set(id, { resolve, reject, timer });
      this.ch.setRef(true);
      this.ch.output.write(line, (e) => {
        if (e) this.fail(new AgentUnreachableError(`cannot write to agent at ${this.label}: ${e.message}`));
      });
    }).then((r) => {
      if (r.type === 'error') throw replyError(r, what);
      return r;
    });
  }

  /** Polite end: bye (the agent closes every target), then hang up. */
  async bye(): Promise<void> {
    if (this.alive) await this.request({ type: 'bye' }).catch(() => undefined);
    this.close();
  }

  close(): void {
    this.fail(new AgentUnreachableError(`connection to ${this.label} closed`));
  }

  private receive(text: string): void {
    const json = decodeLine(text);
    const r = json.ok ? decodeResponse(json.value) : { ok: false as const, reason: `not JSON: ${json.reason}` };
    if (!r.ok) return this.fail(new AgentProtocolError(`${this.label}: invalid response: ${r.reason}`));
    const msg: Response = r.msg;
    const p = msg.id === null ? undefined : this.pending.get(msg.id);
    if (p === undefined) return this.fail(new AgentProtocolError(`${this.label}: response to unknown request id ${msg.id}`));
    this.pending.delete(msg.id!);
    clearTimeout(p.timer);
    if (this.pending.size === 0) this.ch.setRef(false);
    const { v: _v, id: _id, ...body } = msg;
    p.resolve(body as ResponseBody);
  }

  private fail(e: HarnessError): void {
    if (this.broken === undefined) {
      this.broken = e;
      this.ch.close();
    }
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) {
      clearTimeout(p.timer);
      p.reject(this.broken);
    }
  }
}
