/**
 * `gmemcheck diff`: the same generated sequences on two sides, per rule where the verdicts or the
 * allowed sets differ, each with its shortest distinguishing sequence.
 *
 *   gmemcheck diff --a emulator:linux-6.18 --b emulator:upstream
 *   gmemcheck diff --a native --b native:upstream
 *   gmemcheck diff --variant P-UFFD-PRIV --base emulator:uffd-v2
 *
 * Exit codes follow diff(1) and the CLI: 0 no difference, 1 differences, 2 bad arguments,
 * 3 a side could not be opened or a target broke.
 */
import { ALL_MIXES, diffOps, diffPair, sumMixes, type NamedMix } from '../models/diff/diff.js';
import { BadTokenError, decodeToken } from '../models/report/token.js';
import { validateCaseOps } from './case-source.js';
import { formatDiffReport } from '../models/report/diff-report.js';
import { BadSideError, openSide, parseSide, SideUnavailableError, type SideSpec } from '../models/diff/side.js';
import { setupTarget } from './targets.js';
import { variantSides } from '../models/diff/variants.js';
import { EXIT, UsageError, type ExitCode } from './errors.js';
import { processIo, type Io } from './io.js';
import { list, parse, posInt, seedArg } from './parse.js';
import { bugsArg } from './bugs-arg.js';
import { DIFF_USAGE } from './usage.js';

const OPTIONS = {
  a: { type: 'string' }, b: { type: 'string' }, variant: { type: 'string' }, base: { type: 'string' },
  runs: { type: 'string' }, 'max-length': { type: 'string' }, mix: { type: 'string' }, seed: { type: 'string' },
  bugs: { type: 'string' }, 'shrink-seconds': { type: 'string' }, ops: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

const oneMix = (n: string): NamedMix => {
  const m = ALL_MIXES.find((x) => x.name === n);
  if (!m) throw new UsageError(`--mix must name ${ALL_MIXES.map((x) => x.name).join(', ')} or all (got '${n}')`);
  return m;
};

/** `uffd+shareability` sums two mixes: some differences need ops no single domain's mix combines. */
const mixesArg = (value: string | undefined): readonly NamedMix[] => {
  const names = list(value);
  if (names.length === 0 || names.includes('all')) return ALL_MIXES;
  return names.map((n) => (n.includes('+') ? sumMixes(n.split('+').map(oneMix)) : oneMix(n)));
};

const sideArg = (name: string, value: string | undefined, bugs: readonly string[]): SideSpec => {
  if (value === undefined) throw new UsageError(`--${name} is required (e.g. --${name} emulator:linux-6.18)`);
  try {
    return parseSide(value, bugs);
  } catch (e) {
    if (e instanceof BadSideError) throw new UsageError(e.message);
    throw e;
  }
};

/** The pairs to diff: --a/--b, or every pair of answers to one open question on --base. */
const pairsOf = async (v: Record<string, string | boolean | undefined>, bugs: readonly string[]): Promise<[SideSpec, SideSpec][]> => {
  const str = (k: string) => v[k] as string | undefined;
  if (str('variant') !== undefined) {
    if (str('a') !== undefined || str('b') !== undefined) throw new UsageError('--variant diffs answers on --base; do not combine it with --a/--b');
    const base = sideArg('base', str('base') ?? 'emulator:upstream', bugs);
    // A native base without a profile means the probed one: open it to learn it.
    const baseProfile = base.profile ?? (await openSide(base, setupTarget)).setup.profile;
    try {
      return variantSides(base, baseProfile, str('variant')!);
    } catch (e) {
      if (e instanceof BadSideError) throw new UsageError(e.message);
      throw e;
    }
  }
  if (str('base') !== undefined) throw new UsageError('--base goes with --variant');
  return [[sideArg('a', str('a'), bugs), sideArg('b', str('b'), bugs)]];
};

const opsArg = (token: string | undefined) => {
  if (token === undefined) return undefined;
  try {
    return validateCaseOps(decodeToken(token).ops, '--ops token');
  } catch (e) {
    if (e instanceof BadTokenError) throw new UsageError(`--ops: ${e.message}`);
    throw e;
  }
};

export const diffCommand = async (args: readonly string[], io: Io): Promise<ExitCode> => {
  const { values: v } = parse(args, OPTIONS, 0, 'diff');
  if (v.help) {
    io.out(DIFF_USAGE);
    return EXIT.PASS;
  }
  const options = {
    mixes: mixesArg(v.mix),
    numRuns: posInt('runs', v.runs) ?? 300,
    maxLength: posInt('max-length', v['max-length']) ?? 25,
    seed: seedArg(v.seed) ?? 1,
    keep: 2,
    shrinkTimeLimitMs: (posInt('shrink-seconds', v['shrink-seconds']) ?? 20) * 1000,
    onProgress: (line: string) => io.err(`  … ${line}`),
  };
  const ops = opsArg(v.ops);
  const pairs = await pairsOf(v, bugsArg(v.bugs));
  let differ = false;
  for (const [a, b] of pairs) {
    const pair = { a: await openSide(a, setupTarget), b: await openSide(b, setupTarget) };
    const report = ops ? await diffOps(pair, ops, options.seed) : await diffPair(pair, options);
    differ ||= report.diffs.length > 0;
    io.out(formatDiffReport(report));
    io.out('');
  }
  return differ ? EXIT.FAIL : EXIT.PASS;
};

/** Entry point the CLI wires as `gmemcheck diff`: one-line errors, exit 2 for bad arguments. */
export const diffMain = async (argv: string[], io: Io = processIo()): Promise<number> => {
  try {
    return await diffCommand(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`gmemcheck diff: error: ${e.message}`);
      return EXIT.USAGE;
    }
    const what = e instanceof SideUnavailableError ? 'cannot open a side' : 'infrastructure error';
    io.err(`gmemcheck diff: ${what}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return EXIT.INFRA;
  }
};
