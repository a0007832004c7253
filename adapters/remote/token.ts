/**
 * The shared secret that guards the TCP agent. It comes from a file or the environment, never from
 * a command line (argv is visible to every user through /proc), and is compared in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { HarnessError } from '../../spec/vocab/errors.js';

export class TokenError extends HarnessError {}

/** Shortest token accepted: a guessable secret would make the TCP agent an open door. */
export const MIN_TOKEN_LENGTH = 16;

const checked = (token: string, where: string): string => {
  const t = token.trim();
  if (t.length < MIN_TOKEN_LENGTH) throw new TokenError(`token from ${where} is shorter than ${MIN_TOKEN_LENGTH} characters`);
  return t;
};

export const readTokenFile = (path: string): string => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new TokenError(`cannot read token file ${path}: ${(e as Error).message}`);
  }
  return checked(text, path);
};

/** `file` wins over GMEMCHECK_TOKEN_FILE, which wins over GMEMCHECK_TOKEN; undefined when none is set. */
export const resolveToken = (env: NodeJS.ProcessEnv, file?: string): string | undefined => {
  if (file !== undefined) return readTokenFile(file);
  const envFile = env['GMEMCHECK_TOKEN_FILE'];
  if (envFile) return readTokenFile(envFile);
  const t = env['GMEMCHECK_TOKEN'];
  return t ? checked(t, 'GMEMCHECK_TOKEN') : undefined;
};

/** Hashing first gives equal-length buffers, so neither the content nor the length leaks through timing. */
export const tokensMatch = (expected: string, given: unknown): boolean => {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(given).digest();
  return timingSafeEqual(a, b);
};
