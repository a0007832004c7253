/**
 * Transports for the agent: any readable/writable pair (stdio under ssh, a TCP socket, an
 * in-memory pair in tests) is served by one AgentSession, strictly one request at a time. Reading
 * is paused while a request runs, so a flooding peer meets backpressure, not unbounded buffering.
 *
 * TCP admission (issue 12: 32 unauthenticated connections held every real client out): a peer that
 * has not authenticated holds a *pre-auth* slot, at most PREAUTH_PER_ADDRESS per remote address and
 * PREAUTH_TOTAL in all, for at most AUTH_DEADLINE_MS. A new connection never waits for a slot: when
 * its address has used all of its own, that address's oldest pre-auth connection is dropped; when
 * all are used, the oldest of the address holding most is. So strangers holding (or cycling)
 * connections cannot keep out a client that authenticates within its round trips. Authenticated
 * sessions are capped separately (MAX_SESSIONS; beyond it the client is told 'busy').
 */
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { MAX_MESSAGE_BYTES, PREAUTH_MAX_BYTES } from '../protocol.js';
import { encodeLine } from '../wire/encode.js';
import { LineSplitter } from '../wire/lines.js';
import { PopulateBudget } from '../../limits.js';
import { defaultAgentBudget } from './limits.js';
import { AgentSession, type SessionOptions } from './session.js';

/** Resolves once the data reached the OS (so a following destroy cannot drop it); false if the peer is gone. */
const write = (out: Writable, text: string): Promise<boolean> =>
  new Promise((resolve) => {
    if (out.destroyed || !out.writable) return resolve(false);
    out.write(text, (e) => resolve(!e));
  });

/**
 * `authDeadlineMs`: hang up on a peer that has not authenticated by then, so idle unauthenticated
 * connections cannot hold the agent's slots (TCP only). Lines are read with the pre-auth limit
 * until the peer has authenticated.
 */
export const serveStream = async (input: Readable, output: Writable, o: SessionOptions, authDeadlineMs?: number): Promise<void> => {
  const session = new AgentSession(o);
  const split = new LineSplitter(() => (session.isAuthenticated ? MAX_MESSAGE_BYTES : PREAUTH_MAX_BYTES));
  const deadline = authDeadlineMs === undefined ? undefined : setTimeout(() => {
    if (!session.isAuthenticated) input.destroy();
  }, authDeadlineMs);
  try {
    reading: for await (const chunk of input) {
      for (const frame of split.frames(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))) {
        const { response, hangup } = await session.handle(frame);
        if (!(await write(output, encodeLine(response))) || hangup) break reading;
      }
    }
  } catch {
    // A reset connection ends the session like a clean close does.
  } finally {
    clearTimeout(deadline);
    await session.end();
  }
};

/** Authenticated sessions one agent serves at once; the suite uses one per vitest worker. */
export const MAX_SESSIONS = 32;
/** Unauthenticated connections per remote address, and in all. */
export const PREAUTH_PER_ADDRESS = 8;
export const PREAUTH_TOTAL = 64;
/** A TCP peer must authenticate within this long (two round trips and two HMACs). */
export const AUTH_DEADLINE_MS = 3_000;

export interface TcpAgent {
  readonly host: string;
  readonly port: number;
  /** Stops listening, drops every connection and closes their targets. */
  close(): Promise<void>;
}

export interface AdmissionLimits {
  readonly authDeadlineMs: number;
  readonly sessions: number;
  readonly preauthPerAddress: number;
  readonly preauthTotal: number;
}

const DEFAULT_ADMISSION: AdmissionLimits = {
  authDeadlineMs: AUTH_DEADLINE_MS, sessions: MAX_SESSIONS, preauthPerAddress: PREAUTH_PER_ADDRESS, preauthTotal: PREAUTH_TOTAL,
};

/** The pre-auth connections, oldest first (a Map keeps insertion order). */
class PreAuth {
  private readonly conns = new Map<net.Socket, string>();
  constructor(private readonly l: AdmissionLimits) {}

  /** Makes room for a connection from `addr` (dropping the oldest that must go), then holds a slot. */
  enter(s: net.Socket, addr: string): void {
    const mine = [...this.conns].filter(([, a]) => a === addr);
    if (mine.length >= this.l.preauthPerAddress) this.drop(mine[0]![0]);
    else if (this.conns.size >= this.l.preauthTotal) this.drop(this.oldestOfBusiest());
    this.conns.set(s, addr);
  }

  leave(s: net.Socket): void {
    this.conns.delete(s);
  }

  private oldestOfBusiest(): net.Socket {
    const count = new Map<string, number>();
    for (const a of this.conns.values()) count.set(a, (count.get(a) ?? 0) + 1);
    const busiest = [...count].sort((x, y) => y[1] - x[1])[0]![0];
    return [...this.conns].find(([, a]) => a === busiest)![0];
  }

  private drop(s: net.Socket): void {
    this.conns.delete(s);
    s.destroy();
  }
}

export const listenTcp = (host: string, port: number, o: SessionOptions, admission: Partial<AdmissionLimits> | number = {}): Promise<TcpAgent> =>
  new Promise((resolve, reject) => {
    const l: AdmissionLimits = { ...DEFAULT_ADMISSION, ...(typeof admission === 'number' ? { authDeadlineMs: admission } : admission) };
    const sockets = new Set<net.Socket>();
    const sessions = new Set<Promise<void>>();
    const preauth = new PreAuth(l);
    const live = { sessions: 0 };
    // One memory budget for every session of this agent (limits.ts).
    const budget = o.budget ?? new PopulateBudget(defaultAgentBudget());
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      preauth.enter(socket, socket.remoteAddress ?? '?');
      const slot = { held: false };
      const admit = (): boolean => {
        preauth.leave(socket);
        if (live.sessions >= l.sessions) return false;
        live.sessions++;
        slot.held = true;
        return true;
      };
      const done = serveStream(socket, socket, { ...o, budget, admit }, l.authDeadlineMs).finally(() => {
        preauth.leave(socket);
        if (slot.held) live.sessions--;
        socket.destroy();
        sockets.delete(socket);
        sessions.delete(done);
      });
      sessions.add(done);
    });
    // A backstop far above what the admission rules above let stay open.
    server.maxConnections = 4 * (l.sessions + l.preauthTotal);
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address() as net.AddressInfo;
      resolve({
        host: a.address,
        port: a.port,
        close: async () => {
          const closed = new Promise<void>((r) => server.close(() => r()));
          for (const s of sockets) s.destroy();
          await Promise.allSettled([...sessions]);
          await closed;
        },
      });
    });
  });
