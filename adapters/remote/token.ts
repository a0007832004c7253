/**
 * The shared secret that guards the TCP agent. It comes from a file or the environment, never from
 * a command line (argv is visible to every user through /proc). A token file must be a small
 * regular file that only its owner can read; the token itself is never sent (./auth.ts).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { HarnessError } from '../../spec/vocab/errors.js';

export class TokenError extends HarnessError {}

/** Shortest token accepted: a guessable secret would make the TCP agent an open door. */
export const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_FILE_BYTES = 4096;
/** The variables that carry the token: scrubbed from every process the agent starts. */
export const TOKEN_ENV_VARS = ['GMEMCHECK_TOKEN', 'GMEMCHECK_TOKEN_FILE'] as const;

const checked = (token: string, where: string): string => {
  const t = token.trim();
  if (t.length < MIN_TOKEN_LENGTH) throw new TokenError(`token from ${where} is shorter than ${MIN_TOKEN_LENGTH} characters`);
  return t;
};

export const readTokenFile = (path: string): string => {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new TokenError(`cannot read token file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new TokenError(`token file ${path} is not a regular file`);
    if ((st.mode & 0o077) !== 0) {
      throw new TokenError(`token file ${path} is readable or writable by group or others (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 ${path}`);
    }
    if (st.size > MAX_TOKEN_FILE_BYTES) throw new TokenError(`token file ${path} is larger than ${MAX_TOKEN_FILE_BYTES} bytes`);
    const buf = Buffer.alloc(MAX_TOKEN_FILE_BYTES + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return checked(buf.subarray(0, n).toString('utf8'), path);
  } finally {
    closeSync(fd);
  }
};

/** `file` wins over GMEMCHECK_TOKEN_FILE, which wins over GMEMCHECK_TOKEN; undefined when none is set. */
export const resolveToken = (env: NodeJS.ProcessEnv, file?: string): string | undefined => {
  if (file !== undefined) return readTokenFile(file);
  const envFile = env['GMEMCHECK_TOKEN_FILE'];
  if (envFile) return readTokenFile(envFile);
  const t = env['GMEMCHECK_TOKEN'];
  return t ? checked(t, 'GMEMCHECK_TOKEN') : undefined;
};

/** A copy of `env` without the token variables, for every child process. */
export const withoutToken = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(env).filter(([k]) => !(TOKEN_ENV_VARS as readonly string[]).includes(k)));
