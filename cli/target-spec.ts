/**
 * The one target syntax, for `--target` of every command and for GMEMCHECK_TARGET (run, probe and
 * the vitest projects read it the same way):
 *
 *   auto | emulator | native | tcp://HOST:PORT | ssh://[USER@]HOST[:PORT] | stdio://COMMAND
 *
 * An agent URL selects the remote target (a `gmemcheck agent` serving a kernel elsewhere). The URL
 * is checked here, before anything is opened.
 */
import { AgentUrlError } from '../adapters/remote/errors.js';
import { describeAddress, isRemoteUrl, parseAgentUrl } from '../adapters/remote/client/url.js';
import { UsageError } from './errors.js';

export type TargetSpec = (
  | { readonly kind: 'auto' | 'emulator' | 'native' }
  | { readonly kind: 'remote'; readonly url: string; /** Without credentials, for messages. */ readonly shown: string }
) & { /** Where it was given: '--target' (default) or 'GMEMCHECK_TARGET'. */ readonly from?: string };

export const TARGET_SYNTAX = 'auto, emulator, native, tcp://HOST:PORT, ssh://[USER@]HOST[:PORT] or stdio://COMMAND';

export const parseTargetSpec = (value: string, from = '--target'): TargetSpec => {
  const origin = from === '--target' ? {} : { from };
  if (value === 'auto' || value === 'emulator' || value === 'native') return { kind: value, ...origin };
  if (isRemoteUrl(value)) {
    try {
      return { kind: 'remote', url: value, shown: describeAddress(parseAgentUrl(value)), ...origin };
    } catch (e) {
      if (e instanceof AgentUrlError) throw new UsageError(`${from}: ${e.message}`);
      throw e;
    }
  }
  const hint = value === 'remote' ? ': give the agent\'s address instead (e.g. tcp://HOST:PORT)' : '';
  throw new UsageError(`${from} must be ${TARGET_SYNTAX} (got '${value.length > 60 ? `${value.slice(0, 60)}…` : value}')${hint}`);
};

/** GMEMCHECK_TARGET, when set (run, probe and the vitest projects read it the same way). */
export const targetFromEnv = (env: NodeJS.ProcessEnv): TargetSpec | undefined => {
  const e = env['GMEMCHECK_TARGET'];
  return e !== undefined && e !== '' ? parseTargetSpec(e, 'GMEMCHECK_TARGET') : undefined;
};

/** `--target` if given, else GMEMCHECK_TARGET if set, else `fallback`. */
export const targetFromArgs = (flag: string | undefined, env: NodeJS.ProcessEnv, fallback: TargetSpec = { kind: 'auto' }): TargetSpec =>
  flag !== undefined ? parseTargetSpec(flag) : targetFromEnv(env) ?? fallback;

/** How to name the target on a command line (replay hints): the URL without credentials for a remote one. */
export const targetArg = (t: TargetSpec): string => (t.kind === 'remote' ? t.shown : t.kind);
