/**
 * `gmemcheck agent` arguments. Deliberately no way to pass the token on the command line: argv is
 * readable by every local user (ps, /proc/PID/cmdline), so --token is rejected with the reason.
 */
import { AGENT_OP_TIMEOUT_MS, DEFAULT_HOST, DEFAULT_PORT } from '../protocol.js';
import { BACKEND_NAMES, type BackendName } from './backend.js';
import { DEFAULT_LIMITS, type SessionLimits } from './limits.js';

export type Transport = { readonly kind: 'stdio' } | { readonly kind: 'tcp'; readonly host: string; readonly port: number };

export interface AgentOptions {
  readonly transport: Transport;
  readonly tokenFile?: string;
  /** undefined: native when usable here, else the emulator (said on stderr). */
  readonly backend?: BackendName;
  /** Emulator profile preset (default linux-6.18). */
  readonly profile?: string;
  /** process: targets in a per-session child (default for native); none: in the agent. */
  readonly isolation?: 'process' | 'none';
  readonly opTimeoutMs: number;
  /** Per-connection / per-target resource limits given on the command line. */
  readonly limits: Partial<SessionLimits>;
}

export const AGENT_USAGE = `usage: gmemcheck agent (--stdio | --listen [HOST:PORT]) [options]
  --stdio                  serve one session on stdin/stdout (for: ssh HOST gmemcheck agent --stdio)
  --listen [HOST:PORT]     serve TCP (default ${DEFAULT_HOST}:${DEFAULT_PORT}); needs a token
  --token-file FILE        the shared token (or env GMEMCHECK_TOKEN / GMEMCHECK_TOKEN_FILE)
  --backend native|emulator   what runs the ops (default: native when /dev/kvm is usable)
  --profile NAME           emulator profile preset (default linux-6.18)
  --isolation process|none run each session's targets in a child process (default) or in the agent
  --op-timeout-ms N        per-operation limit (default ${AGENT_OP_TIMEOUT_MS})
  --max-targets N          open targets per connection (default ${DEFAULT_LIMITS.targets})
  --max-vms N, --max-fds N, --max-maps N   live objects per target (default ${DEFAULT_LIMITS.vms}, ${DEFAULT_LIMITS.fds}, ${DEFAULT_LIMITS.maps})
  --max-populate-mib N     bytes one target may populate (default ${DEFAULT_LIMITS.populateBytes >> 20n})
  --max-ops-per-second N   ops per connection per second (default ${DEFAULT_LIMITS.opsPerSecond})`;

/** --max-* flags: the SessionLimits field each sets, and its largest value. */
const LIMIT_FLAGS: Readonly<Record<string, readonly [keyof SessionLimits, number]>> = {
  '--max-targets': ['targets', 1024], '--max-vms': ['vms', 65536], '--max-fds': ['fds', 65536], '--max-maps': ['maps', 65536],
  '--max-populate-mib': ['populateBytes', 1 << 20], '--max-ops-per-second': ['opsPerSecond', 1_000_000],
};

export type Parsed = { readonly ok: true; readonly options: AgentOptions } | { readonly ok: false; readonly error: string };

const hostPort = (s: string): Transport | undefined => {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[3]) : NaN;
  return m && port <= 65535 ? { kind: 'tcp', host: (m[1] ?? m[2])!, port } : undefined;
};

export const parseAgentArgs = (argv: readonly string[]): Parsed => {
  const o: { -readonly [K in keyof AgentOptions]?: AgentOptions[K] } = { opTimeoutMs: AGENT_OP_TIMEOUT_MS };
  const limits: { -readonly [K in keyof SessionLimits]?: SessionLimits[K] } = {};
  const value = (i: number, flag: string): string | undefined => (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') ? argv[i + 1] : undefined);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const arg = (): string | undefined => inline ?? (value(i, flag) !== undefined ? argv[++i] : undefined);
    if (flag === '--token') {
      return { ok: false, error: '--token is not accepted: a command line is visible to every user (ps, /proc/PID/cmdline). Put the token in a file readable only by you and pass --token-file FILE, or set GMEMCHECK_TOKEN.' };
    }
    if (flag === '--stdio') o.transport = { kind: 'stdio' };
    else if (flag === '--listen') {
      const v = arg();
      const t = v === undefined ? { kind: 'tcp' as const, host: DEFAULT_HOST, port: DEFAULT_PORT } : hostPort(v);
      if (t === undefined) return { ok: false, error: `--listen expects HOST:PORT, got "${v}"` };
      o.transport = t;
    } else if (flag === '--token-file') {
      const v = arg();
      if (v === undefined) return { ok: false, error: '--token-file needs a path' };
      o.tokenFile = v;
    } else if (flag === '--backend') {
      const v = arg();
      if (!BACKEND_NAMES.includes(v as BackendName)) return { ok: false, error: `--backend must be one of ${BACKEND_NAMES.join('|')}` };
      o.backend = v as BackendName;
    } else if (flag === '--profile') {
      const v = arg();
      if (v === undefined) return { ok: false, error: '--profile needs a preset name' };
      o.profile = v;
    } else if (flag === '--isolation') {
      const v = arg();
      if (v !== 'process' && v !== 'none') return { ok: false, error: '--isolation must be process|none' };
      o.isolation = v;
    } else if (Object.hasOwn(LIMIT_FLAGS, flag)) {
      const [field, max] = LIMIT_FLAGS[flag]!;
      const n = Number(arg());
      if (!Number.isInteger(n) || n < 1 || n > max) return { ok: false, error: `${flag} must be an integer in [1, ${max}]` };
      if (field === 'populateBytes') limits.populateBytes = BigInt(n) << 20n;
      else limits[field] = n;
    } else if (flag === '--op-timeout-ms') {
      const n = Number(arg());
      if (!Number.isInteger(n) || n < 1 || n > 600_000) return { ok: false, error: '--op-timeout-ms must be an integer in [1, 600000]' };
      o.opTimeoutMs = n;
    } else return { ok: false, error: `unknown argument "${a}"\n${AGENT_USAGE}` };
  }
  if (o.transport === undefined) return { ok: false, error: `choose --stdio or --listen\n${AGENT_USAGE}` };
  return { ok: true, options: { ...o, limits } as AgentOptions };
};
