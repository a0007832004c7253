/**
 * Transports for the agent: any readable/writable pair (stdio under ssh, a TCP socket, an
 * in-memory pair in tests) is served by one AgentSession, strictly one request at a time. Reading
 * is paused while a request runs, so a flooding peer meets backpressure, not unbounded buffering.
 */
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { MAX_MESSAGE_BYTES } from '../protocol.js';
import { encodeLine } from '../wire/encode.js';
import { LineSplitter } from '../wire/lines.js';
import { AgentSession, type SessionOptions } from './session.js';

/** Resolves once the data reached the OS (so a following destroy cannot drop it); false if the peer is gone. */
const write = (out: Writable, text: string): Promise<boolean> =>
  new Promise((resolve) => {
    if (out.destroyed || !out.writable) return resolve(false);
    out.write(text, (e) => resolve(!e));
  });

/**
 * `authDeadlineMs`: hang up on a peer that has not said a successful hello by then, so idle
 * unauthenticated connections cannot hold the agent's connection slots (TCP only).
 */
export const serveStream = async (input: Readable, output: Writable, o: SessionOptions, authDeadlineMs?: number): Promise<void> => {
  const session = new AgentSession(o);
  const split = new LineSplitter(MAX_MESSAGE_BYTES);
  const deadline = authDeadlineMs === undefined ? undefined : setTimeout(() => {
    if (!session.isAuthenticated) input.destroy();
  }, authDeadlineMs);
  try {
    reading: for await (const chunk of input) {
      for (const frame of split.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))) {
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

/** Concurrent TCP connections one agent accepts; the suite uses one per vitest worker. */
export const MAX_CONNECTIONS = 32;
/** A TCP peer must complete hello within this long (the fuzz test's 10,000 messages take ~3 s). */
export const AUTH_DEADLINE_MS = 30_000;

export interface TcpAgent {
  readonly host: string;
  readonly port: number;
  /** Stops listening, drops every connection and closes their targets. */
  close(): Promise<void>;
}

export const listenTcp = (host: string, port: number, o: SessionOptions, authDeadlineMs = AUTH_DEADLINE_MS): Promise<TcpAgent> =>
  new Promise((resolve, reject) => {
    const sockets = new Set<net.Socket>();
    const sessions = new Set<Promise<void>>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('error', () => undefined);
      const done = serveStream(socket, socket, o, authDeadlineMs).finally(() => {
        socket.destroy();
        sockets.delete(socket);
        sessions.delete(done);
      });
      sessions.add(done);
    });
    // Each connection costs a session (and, once authenticated, a backend process): cap them.
    server.maxConnections = MAX_CONNECTIONS;
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
