/**
 * node:util parseArgs with every failure turned into one UsageError line (no stack, exit 2), and
 * small validators for the option values the subcommands share.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const parse = <O extends Options>(args: readonly string[], options: O, positionals: number) => {
  let r;
  try {
    r = parseArgs({ args: [...args], options, allowPositionals: positionals > 0, strict: true });
  } catch (e) {
    // parseArgs messages carry a second sentence on '--' escaping; the first names the problem.
    const msg = (e as Error).message.split('. ')[0] ?? String(e);
    throw new UsageError(msg.replace(/\.$/, ''));
  }
  if (r.positionals.length > positionals) throw new UsageError(`unexpected argument '${r.positionals[positionals]}'`);
  return r;
};

export const oneOf = <T extends string>(name: string, value: string | undefined, choices: readonly T[], dflt: T): T => {
  if (value === undefined) return dflt;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${choices.join(', ')} (got '${value}')`);
  return value as T;
};

export const posInt = (name: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--${name} must be a positive integer (got '${value}')`);
  }
  return Number(value);
};

/** fast-check seeds are 32-bit signed integers. */
export const seedArg = (value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value) || Math.abs(Number(value)) > 0x7fffffff) throw new UsageError(`--seed must be a 32-bit integer (got '${value}')`);
  return Number(value);
};

export const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
