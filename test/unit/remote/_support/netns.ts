/**
 * A pair of network namespaces joined by a veth pair, for running the agent and the client on
 * separate network stacks. Both ends live inside namespaces this helper creates (10.231.N.1/30 and
 * 10.231.N.2/30), so no address outside them is ever touched; `destroy` removes both namespaces,
 * which also removes the veth pair.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ip = (...args: string[]): { ok: boolean; err: string } => {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  return { ok: r.status === 0, err: (r.stderr ?? '') + (r.error?.message ?? '') };
};

export const netnsUnavailable = (): string | undefined => {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  if (!['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some(existsSync)) return "iproute2's `ip` is not installed";
  const probe = ip('netns', 'list');
  return probe.ok ? undefined : `ip netns unusable: ${probe.err.trim()}`;
};

export interface NetnsPair {
  readonly agentNs: string;
  readonly clientNs: string;
  readonly agentAddr: string;
  readonly clientAddr: string;
  /** argv prefix that runs a command inside a namespace. */
  exec(ns: string): string[];
  destroy(): void;
}

export const createNetnsPair = (tag: number): NetnsPair => {
  const n = (tag % 250) + 1;
  const agentNs = `gmc-agent-${tag}`;
  const clientNs = `gmc-client-${tag}`;
  const [va, vb] = [`gmcA${tag % 100000}`, `gmcB${tag % 100000}`];
  const agentAddr = `10.231.${n}.1`;
  const clientAddr = `10.231.${n}.2`;
  const destroy = (): void => {
    ip('netns', 'del', agentNs);
    ip('netns', 'del', clientNs);
  };
  const steps: string[][] = [
    ['netns', 'add', agentNs],
    ['netns', 'add', clientNs],
    ['link', 'add', va, 'netns', agentNs, 'type', 'veth', 'peer', 'name', vb, 'netns', clientNs],
    ['-n', agentNs, 'addr', 'add', `${agentAddr}/30`, 'dev', va],
    ['-n', clientNs, 'addr', 'add', `${clientAddr}/30`, 'dev', vb],
    ['-n', agentNs, 'link', 'set', 'lo', 'up'],
    ['-n', clientNs, 'link', 'set', 'lo', 'up'],
    ['-n', agentNs, 'link', 'set', va, 'up'],
    ['-n', clientNs, 'link', 'set', vb, 'up'],
  ];
  for (const s of steps) {
    const r = ip(...s);
    if (!r.ok) {
      destroy();
      throw new Error(`ip ${s.join(' ')} failed: ${r.err.trim()}`);
    }
  }
  return { agentNs, clientNs, agentAddr, clientAddr, exec: (ns) => ['ip', 'netns', 'exec', ns], destroy };
};

export const namespaceExists = (name: string): boolean =>
  spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').some((l) => l.split(' ')[0] === name);
