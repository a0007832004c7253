/**
 * Agent addresses: tcp://host:port, ssh://[user@]host[:port] (runs `gmemcheck agent --stdio` there)
 * and stdio://<shell command> (a local command that speaks the protocol; handy for tests and for
 * wrappers such as `vng --exec`).
 */
import { AgentUrlError } from '../errors.js';

export type AgentAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'ssh'; readonly host: string; readonly user?: string; readonly port?: number }
  | { readonly kind: 'stdio'; readonly command: string };

export const REMOTE_URL = /^(tcp|ssh|stdio):\/\//;
export const isRemoteUrl = (s: string): boolean => REMOTE_URL.test(s);

const unbracket = (h: string): string => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);

export const parseAgentUrl = (url: string): AgentAddress => {
  if (url.startsWith('stdio://')) {
    const command = url.slice('stdio://'.length).trim();
    if (!command) throw new AgentUrlError(`${url}: stdio:// needs a command`);
    return { kind: 'stdio', command };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new AgentUrlError(`not a URL: ${url}`);
  }
  const host = unbracket(u.hostname);
  if (!host) throw new AgentUrlError(`${url}: missing host`);
  if (u.pathname && u.pathname !== '/') throw new AgentUrlError(`${url}: unexpected path ${u.pathname}`);
  const port = u.port ? Number(u.port) : undefined;
  if (u.protocol === 'tcp:') {
    if (port === undefined) throw new AgentUrlError(`${url}: tcp:// needs a port`);
    return { kind: 'tcp', host, port };
  }
  if (u.protocol === 'ssh:') {
    if (host.startsWith('-')) throw new AgentUrlError(`${url}: a host may not start with '-'`);
    const user = u.username ? decodeURIComponent(u.username) : undefined;
    return { kind: 'ssh', host, ...(user ? { user } : {}), ...(port !== undefined ? { port } : {}) };
  }
  throw new AgentUrlError(`${url}: unknown scheme (use tcp://, ssh:// or stdio://)`);
};

/** The URL without credentials, for messages and target names. */
export const describeAddress = (a: AgentAddress): string =>
  a.kind === 'tcp' ? `tcp://${a.host}:${a.port}` : a.kind === 'ssh' ? `ssh://${a.user ? `${a.user}@` : ''}${a.host}${a.port ? `:${a.port}` : ''}` : `stdio://${a.command}`;
