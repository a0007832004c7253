/**
 * A byte channel to an agent: a TCP socket, or the stdin/stdout of a spawned ssh (or local) command.
 * Failing to connect is an AgentUnreachableError naming the address and, for commands, the tail of
 * their stderr (where ssh says "Permission denied" or "command not found").
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { Readable, Writable } from 'node:stream';
import { match } from 'ts-pattern';
import { AgentUnreachableError } from '../../../spec/vocab/errors.js';
import { describeAddress, type AgentAddress } from './url.js';

export interface Channel {
  readonly input: Readable;
  readonly output: Writable;
  /** Why the channel ended (exit status, stderr tail); empty while it is open. */
  readonly why: () => string;
  /** Called once when the channel is gone, for whatever reason. */
  onClose(cb: () => void): void;
  /** Keep (or stop keeping) the Node process alive for this channel: only while a request is pending. */
  setRef(on: boolean): void;
  close(): void;
}

export interface ChannelEnv {
  /** Remote command for ssh:// (GMEMCHECK_AGENT_CMD). */
  readonly agentCmd?: string;
  /** ssh binary (GMEMCHECK_SSH): tests substitute a local stand-in. */
  readonly ssh?: string;
  readonly connectTimeoutMs: number;
}

const DEFAULT_AGENT_CMD = 'gmemcheck agent --stdio';

const tcpChannel = (host: string, port: number, o: ChannelEnv): Promise<Channel> =>
  new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    const timer = setTimeout(() => s.destroy(new Error(`no connection within ${o.connectTimeoutMs} ms`)), o.connectTimeoutMs);
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(new AgentUnreachableError(`cannot connect to agent at tcp://${host}:${port}: ${e.message}`, { cause: e }));
    });
    s.once('connect', () => {
      clearTimeout(timer);
      s.setNoDelay(true);
      s.removeAllListeners('error');
      const why = { text: '' };
      s.on('error', (e) => (why.text = e.message));
      resolve({
        input: s, output: s, why: () => why.text || 'connection closed by the agent',
        onClose: (cb) => void s.once('close', cb),
        setRef: (on) => void (on ? s.ref() : s.unref()),
        close: () => void s.destroy(),
      });
    });
  });

const commandChannel = (argv0: string, args: readonly string[], label: string): Promise<Channel> =>
  new Promise((resolve, reject) => {
    const child = spawn(argv0, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const tail = { text: '' };
    child.stderr.on('data', (d: Buffer) => (tail.text = (tail.text + d.toString()).slice(-2000)));
    const why = (): string => `${label} exited (${child.signalCode ?? `code ${child.exitCode}`})${tail.text ? `: ${tail.text.trim().split('\n').slice(-3).join(' | ')}` : ''}`;
    child.once('error', (e) => reject(new AgentUnreachableError(`cannot start ${label}: ${e.message}`, { cause: e })));
    child.once('spawn', () => {
      child.stdin.on('error', () => undefined);
      const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[];
      resolve({
        input: child.stdout, output: child.stdin, why,
        onClose: (cb) => void child.once('close', cb),
        setRef: (on) => handles.forEach((h) => (on ? h.ref?.() : h.unref?.())),
        close: () => {
          child.stdin.end();
          child.kill('SIGTERM');
        },
      });
    });
  });

export const openChannel = (a: AgentAddress, o: ChannelEnv): Promise<Channel> =>
  match(a)
    .with({ kind: 'tcp' }, ({ host, port }) => tcpChannel(host, port, o))
    .with({ kind: 'ssh' }, (s) => {
      // `--` keeps a hostile host name from being read as an ssh option.
      const dest = s.user ? `${s.user}@${s.host}` : s.host;
      const args = ['-T', '-o', 'BatchMode=yes', ...(s.port !== undefined ? ['-p', String(s.port)] : []), '--', dest, o.agentCmd ?? DEFAULT_AGENT_CMD];
      return commandChannel(o.ssh ?? 'ssh', args, describeAddress(s));
    })
    .with({ kind: 'stdio' }, (s) => commandChannel('/bin/sh', ['-c', s.command], describeAddress(s)))
    .exhaustive();
