/**
 * `gmemcheck agent`: serves a target to a remote gmemcheck over stdio (under ssh) or TCP. This file
 * is the glue only: it resolves the emulator profile (adapters may not import spec logic), picks
 * the backend, and hands the transport to adapters/remote/agent. Logs go to stderr, because in
 * --stdio mode stdout is the protocol channel.
 */
import { TOKEN_ENV_VARS, TokenError, resolveToken } from '../adapters/remote/token.js';
import { parseAgentArgs, type AgentOptions } from '../adapters/remote/agent/options.js';
import { UsageError, type ExitCode } from './errors.js';
import type { Io } from './io.js';
import { version } from './version.js';
import type { Backend, BackendName } from '../adapters/remote/agent/backend.js';
import { backendFactory } from '../adapters/remote/agent/factories.js';
import { inProcessBackend } from '../adapters/remote/agent/in-process.js';
import { processBackend } from '../adapters/remote/agent/process-backend.js';
import { listenTcp, serveStream } from '../adapters/remote/agent/serve.js';
import { nativeAvailable } from '../adapters/native/index.js';
import { resolveProfile } from '../spec/profiles/index.js';

const log = (msg: string): void => void process.stderr.write(`gmemcheck agent: ${msg}\n`);


/** The backend named by --backend, else native when usable here, else the emulator (said loudly). */
const backendName = (o: AgentOptions): BackendName => {
  if (o.backend !== undefined) return o.backend;
  const native = nativeAvailable();
  if (native.ok) return 'native';
  log(`native target unavailable (${native.reason}); serving the EMULATOR`);
  return 'emulator';
};

/**
 * Process isolation is the default for every backend: a native op can block its thread, and a
 * heavy emulator op in the agent's own event loop would stall every other client and the timeouts.
 */
export const chooseBackend = (o: AgentOptions): Backend => {
  const name = backendName(o);
  const profile = name === 'emulator' ? resolveProfile(o.profile ?? 'linux-6.18') : undefined;
  const isolation = o.isolation ?? 'process';
  if (isolation === 'process') return processBackend({ backend: name, ...(profile ? { profile } : {}) });
  return inProcessBackend(name, async (seed) => (await backendFactory(name, profile))(seed));
};

/** The command as cli/main.ts runs it: bad arguments are one line (the usage is `gmemcheck agent --help`). */
export const agentCommand = async (args: readonly string[], _io: Io): Promise<ExitCode> => {
  const parsed = parseAgentArgs([...args]);
  if (!parsed.ok) throw new UsageError(`agent: ${parsed.error.split('\n')[0]} (gmemcheck agent --help lists the options)`);
  return (await agentMain([...args])) as ExitCode;
};

export const agentMain = async (argv: string[]): Promise<number> => {
  const parsed = parseAgentArgs(argv);
  if (!parsed.ok) {
    log(parsed.error);
    return 2;
  }
  const o = parsed.options;
  let token: string | undefined;
  try {
    token = resolveToken(process.env, o.tokenFile);
  } catch (e) {
    log(e instanceof TokenError ? e.message : String(e));
    return 2;
  }
  // Read once; no child process (backend workers, anything they start) inherits it.
  for (const k of TOKEN_ENV_VARS) delete process.env[k];
  if (o.transport.kind === 'tcp' && token === undefined) {
    log('TCP needs a shared token: --token-file FILE, GMEMCHECK_TOKEN_FILE or GMEMCHECK_TOKEN');
    return 2;
  }
  // Last line of defence for "never crash": a stray rejection is logged, the agent keeps serving.
  process.on('unhandledRejection', (e) => log(`unhandled rejection: ${e instanceof Error ? e.stack : String(e)}`));
  let backend: Backend;
  try {
    backend = chooseBackend(o);
  } catch (e) {
    log(e instanceof Error ? e.message : String(e));
    return 2;
  }
  const session = { backend, opTimeoutMs: o.opTimeoutMs, agentVersion: version(), limits: o.limits };
  if (o.transport.kind === 'stdio') {
    // ssh authenticated the peer; a token in hello is accepted and not checked. A vanished peer
    // (EPIPE on stdout) simply ends the session.
    process.stdout.on('error', () => undefined);
    await serveStream(process.stdin, process.stdout, { ...session, token: undefined });
    return 0;
  }
  const agent = await listenTcp(o.transport.host, o.transport.port, { ...session, token });
  log(`listening on ${agent.host}:${agent.port} (backend ${backend.name}, op timeout ${o.opTimeoutMs} ms)`);
  await new Promise<void>((resolve) => {
    const stop = (): void => void agent.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
};
