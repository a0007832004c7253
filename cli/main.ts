/**
 * The gmemcheck CLI entry: picks the subcommand and maps errors to exit codes. Subcommand modules
 * are imported lazily so help, `rules` and argument errors never load a target or the spec engine.
 *
 * The contract every command keeps: `gmemcheck <command> --help` prints its usage on stdout and
 * exits 0; a bad argument is one line on stderr, `gmemcheck: error: …` naming the valid choices,
 * exit 2; the harness breaking is `gmemcheck: infrastructure error: …`, exit 3; a bug of gmemcheck
 * itself (a TypeError and the like) is said to be one, never shown as a raw JavaScript error.
 */
import { version } from './version.js';
import { EXIT, InfraError, NothingTestedError, UsageError, type ExitCode } from './errors.js';
import { processIo, type Io } from './io.js';
import { COMMAND_NAMES, HELP, USAGE, type CommandName } from './usage.js';

export type Command = (args: readonly string[], io: Io) => ExitCode | Promise<ExitCode>;

/** Every command of cli/usage.ts HELP, by name (the compiler keeps the two lists the same). */
const COMMANDS: Readonly<Record<CommandName, () => Promise<Command>>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  replay: async () => (await import('./commands/replay.js')).replayCommand,
  probe: async () => (await import('./commands/probe.js')).probeCommand,
  rules: async () => (await import('./commands/rules.js')).rulesCommand,
  vm: async () => (await import('./commands/vm.js')).vmCommand,
  selftests: async () => (await import('./commands/selftests.js')).selftestsCommand,
  report: async () => (await import('./report.js')).reportCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  agent: async () => (await import('./agent.js')).agentCommand,
};

const isCommand = (name: string): name is CommandName => (COMMAND_NAMES as readonly string[]).includes(name);

/** Errors JavaScript raises on a bug of ours, never on bad input (that is a UsageError). */
const INTERNAL = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']);

export const main = async (argv: readonly string[], io: Io = processIo()): Promise<ExitCode> => {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? EXIT.USAGE : EXIT.PASS;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(version());
    return EXIT.PASS;
  }
  try {
    if (!isCommand(name)) throw new UsageError(`unknown command '${name.length > 40 ? `${name.slice(0, 40)}…` : name}' (commands: ${COMMAND_NAMES.join(', ')}; gmemcheck --help)`);
    // Arguments after `--` belong to another command line (`gmemcheck vm -- run --help`).
    const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
    if (own.includes('--help') || own.includes('-h')) {
      io.out(HELP[name].usage);
      return EXIT.PASS;
    }
    return await (await COMMANDS[name]())(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`gmemcheck: error: ${e.message}`);
      return EXIT.USAGE;
    }
    if (e instanceof NothingTestedError) {
      io.err(`gmemcheck: ${e.message} (exit ${EXIT.NOTHING}: nothing tested)`);
      return EXIT.NOTHING;
    }
    const debug = process.env['GMEMCHECK_DEBUG'] ? '' : '; GMEMCHECK_DEBUG=1 shows the stack';
    if (e instanceof Error && INTERNAL.has(e.name)) {
      io.err(`gmemcheck: internal error (a bug in gmemcheck, not a finding about the kernel): ${e.message}${debug}`);
    } else {
      // The harness breaking: one line, never a conformance verdict.
      const msg = e instanceof Error ? `${e.name === 'Error' || e instanceof InfraError ? '' : `${e.name}: `}${e.message}` : String(e);
      io.err(`gmemcheck: infrastructure error: ${msg}`);
    }
    if (process.env['GMEMCHECK_DEBUG'] && e instanceof Error && e.stack) io.err(e.stack);
    return EXIT.INFRA;
  }
};
