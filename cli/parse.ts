/**
 * node:util parseArgs with every failure turned into one UsageError line (no stack, exit 2) that
 * names the valid choices, and small validators for the option values the subcommands share.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * `--runs -1` and `--seed -1`: parseArgs reads a value starting with '-' as a missing argument and
 * suggests `--runs=-1`. A negative number after an option that takes a value is that value; the
 * option's own validator then accepts it (a seed) or says what it must be (a count).
 */
const joinNegativeValues = (args: readonly string[], options: Options): string[] => {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    const next = args[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
};

const optionList = (options: Options): string =>
  Object.entries(options).filter(([k]) => k !== 'help').map(([k, o]) => `--${k}${o.type === 'string' ? ' …' : ''}`).join(', ');

export const parse = <O extends Options>(args: readonly string[], options: O, positionals: number, command?: string) => {
  let r;
  try {
    r = parseArgs({ args: joinNegativeValues(args, options), options, allowPositionals: positionals > 0, strict: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const msg = ((e as Error).message.split('. ')[0] ?? String(e)).replace(/\.$/, '');
    const where = command ? ` of ${command}` : '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${msg} (options${where}: ${optionList(options)}, --help)`);
    // "Option '--x <value>' argument missing" and the like: the first sentence names the problem.
    throw new UsageError(msg);
  }
  if (r.positionals.length > positionals) throw new UsageError(`unexpected argument '${r.positionals[positionals]}'${positionals === 0 ? ` (${command ?? 'this command'} takes options only)` : ''}`);
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
  if (!/^-?\d+$/.test(value) || Math.abs(Number(value)) > 0x7fffffff) throw new UsageError(`--seed must be a 32-bit integer, negative or not (got '${value}')`);
  return Number(value);
};

export const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
