/**
 * Agents for the remote tests: in-process (listenTcp with any Backend, e.g. an instrumented one)
 * and real ones (`gmemcheck agent` in a child process, optionally inside a network
 * namespace). Everything listens on loopback or on addresses inside namespaces the test created.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Op, Outcome } from '../../../../spec/vocab/index.js';
import type { Target, TargetFactory } from '../../../../spec/vocab/target.js';
import { inProcessBackend, listenTcp, type Backend, type SessionLimits, type TcpAgent } from '../../../../adapters/remote/index.js';
import type { AdmissionLimits } from '../../../../adapters/remote/agent/serve.js';

export const TOKEN = 'test-token-0123456789abcdef';
export const TOKEN_ENV = { GMEMCHECK_TOKEN: TOKEN } as const;
/** The agent as users start it: `gmemcheck agent ...`. */
export const GMEMCHECK_BIN = fileURLToPath(new URL('../../../../bin/gmemcheck.mjs', import.meta.url));
export const AGENT_ARGV: readonly string[] = [process.execPath, GMEMCHECK_BIN, 'agent'];

export interface StartOptions {
  readonly token?: string;
  readonly opTimeoutMs?: number;
  readonly authDeadlineMs?: number;
  readonly limits?: Partial<SessionLimits>;
  readonly admission?: Partial<AdmissionLimits>;
}

export const startAgent = async (backend: Backend, o: StartOptions = {}): Promise<TcpAgent & { url: string }> => {
  const admission = { ...o.admission, ...(o.authDeadlineMs !== undefined ? { authDeadlineMs: o.authDeadlineMs } : {}) };
  const a = await listenTcp('127.0.0.1', 0, {
    backend, token: o.token ?? TOKEN, opTimeoutMs: o.opTimeoutMs ?? 5000, agentVersion: 'test', ...(o.limits ? { limits: o.limits } : {}),
  }, admission);
  return Object.assign(a, { url: `tcp://127.0.0.1:${a.port}` });
};

/** Counts what reaches the backend: the fuzz test's proof that nothing ran unauthenticated. */
export class Counter {
  applies = 0;
  opens = 0;
  closes = 0;
}

export const countingFactory = (inner: TargetFactory, n: Counter): TargetFactory => async (seed) => {
  n.opens++;
  const t = await inner(seed);
  return {
    name: t.name,
    probe: () => t.probe(),
    apply: (op: Op): Promise<Outcome> => { n.applies++; return t.apply(op); },
    close: () => { n.closes++; return t.close(); },
  } satisfies Target;
};

export const countingBackend = (name: string, inner: TargetFactory, n: Counter): Backend =>
  inProcessBackend(name, countingFactory(inner, n));

export interface SpawnedAgent {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: () => string;
  kill(): Promise<void>;
}

/**
 * Starts `gmemcheck agent` (optionally under a prefix such as `ip netns exec NS`) and waits
 * for its "listening on HOST:PORT" line.
 */
export const spawnAgent = (args: readonly string[], o: { prefix?: readonly string[]; env?: NodeJS.ProcessEnv; host?: string } = {}): Promise<SpawnedAgent> =>
  new Promise((resolve, reject) => {
    const argv = [...(o.prefix ?? []), ...AGENT_ARGV, ...args];
    const child = spawn(argv[0]!, argv.slice(1), { env: { ...process.env, ...TOKEN_ENV, ...o.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    const err = { text: '' };
    const timer = setTimeout(() => reject(new Error(`agent did not start: ${err.text}`)), 20_000);
    child.once('exit', (code) => reject(new Error(`agent exited with ${code}: ${err.text}`)));
    child.stderr!.on('data', (d: Buffer) => {
      err.text += d.toString();
      const m = /listening on (\S+):(\d+)/.exec(err.text);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        url: `tcp://${o.host ?? m[1]}:${m[2]}`,
        stderr: () => err.text,
        kill: () => new Promise<void>((r) => {
          if (child.exitCode !== null || child.signalCode !== null) return r();
          child.once('exit', () => r());
          child.kill('SIGKILL');
        }),
      });
    });
  });
