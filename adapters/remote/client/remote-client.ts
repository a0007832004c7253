/**
 * The client side of a remote target: one RemoteClient per agent URL keeps a connection, opens a
 * fresh agent-side target for every property run, and reconnects on the next target creation
 * after the agent dropped (a restarted agent, a rebooted VM). Nothing is module state: the
 * connection lives on the client instance.
 */
import { AgentProtocolError } from '../errors.js';
import { CLIENT_OP_TIMEOUT_MS } from '../protocol.js';
import { resolveToken } from '../token.js';
import type { Target, TargetFactory } from '../../../spec/vocab/target.js';
import { openChannel } from './channel.js';
import { AgentConnection, type HelloInfo } from './connection.js';
import { RemoteTarget } from './remote-target.js';
import { describeAddress, parseAgentUrl, type AgentAddress } from './url.js';

export interface RemoteClientOptions {
  /** Defaults to process.env: GMEMCHECK_TOKEN(_FILE), GMEMCHECK_AGENT_CMD, GMEMCHECK_SSH. */
  readonly env?: NodeJS.ProcessEnv;
  /** Per-request deadline on the client (default CLIENT_OP_TIMEOUT_MS). */
  readonly timeoutMs?: number;
  /** The backend the agent must serve ('native' for testing a kernel); undefined: any. */
  readonly expectBackend?: string;
}

export class RemoteClient {
  readonly address: AgentAddress;
  readonly label: string;
  private conn: Promise<AgentConnection> | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private readonly expectBackend: string | undefined;
  /** How many connections this client opened (1 + reconnects). */
  connects = 0;

  constructor(url: string, o: RemoteClientOptions = {}) {
    this.address = parseAgentUrl(url);
    this.label = describeAddress(this.address);
    this.env = o.env ?? process.env;
    this.timeoutMs = o.timeoutMs ?? CLIENT_OP_TIMEOUT_MS;
    this.expectBackend = o.expectBackend;
  }

  /** The live connection, opening a new one if there is none or the last one dropped. */
  async connection(): Promise<AgentConnection> {
    const current = this.conn && (await this.conn.catch(() => undefined));
    if (current?.alive) return current;
    this.conn = this.connect();
    return this.conn;
  }

  async hello(): Promise<HelloInfo> {
    const c = await this.connection();
    return c.hello!;
  }

  readonly makeTarget: TargetFactory = async (seed) => {
    const c = await this.connection();
    const r = await c.request({ type: 'open', seed: seed | 0 }, 'open', this.timeoutMs * 3);
    if (r.type !== 'ok' || r.result.kind !== 'opened') throw new AgentProtocolError(`open answered with '${r.type}'`);
    return new RemoteTarget(c, r.result.target, `remote:${r.result.name}`);
  };

  /** Says bye (the agent closes everything) and drops the connection. */
  async close(): Promise<void> {
    const c = this.conn && (await this.conn.catch(() => undefined));
    this.conn = undefined;
    await c?.bye();
  }

  private async connect(): Promise<AgentConnection> {
    this.connects++;
    // Over ssh the channel is already authenticated (the agent says auth: none); over TCP both
    // ends must prove the token.
    const token = resolveToken(this.env);
    const agentCmd = this.env['GMEMCHECK_AGENT_CMD'];
    const ssh = this.env['GMEMCHECK_SSH'];
    const ch = await openChannel(this.address, {
      connectTimeoutMs: this.timeoutMs,
      ...(agentCmd ? { agentCmd } : {}),
      ...(ssh ? { ssh } : {}),
    });
    return AgentConnection.open(ch, this.label, token, this.timeoutMs, {
      requireProof: this.address.kind === 'tcp',
      ...(this.expectBackend !== undefined ? { expectBackend: this.expectBackend } : {}),
    });
  }
}

/** A single remote target on its own connection; closing the target hangs up. */
export const createRemoteTarget = async (url: string, seed = 0, o: RemoteClientOptions = {}): Promise<Target> => {
  const client = new RemoteClient(url, o);
  const t = await client.makeTarget(seed);
  return {
    name: t.name,
    probe: () => t.probe(),
    apply: (op) => t.apply(op),
    close: async () => {
      await t.close();
      await client.close();
    },
  };
};
