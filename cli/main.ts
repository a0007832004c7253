/**
 * The gmemcheck CLI entry: picks the subcommand and maps errors to exit codes. Subcommand modules
 * are imported lazily so `rules` and argument errors never load a target or the spec engine.
 */
import { EXIT, InfraError, NothingTestedError, UsageError, type ExitCode } from './errors.js';
import { processIo, type Io } from './io.js';
import { USAGE } from './usage.js';

type Command = (args: readonly string[], io: Io) => ExitCode | Promise<ExitCode>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  replay: async () => (await import('./commands/replay.js')).replayCommand,
  probe: async () => (await import('./commands/probe.js')).probeCommand,
  rules: async () => (await import('./commands/rules.js')).rulesCommand,
  vm: async () => (await import('./commands/vm.js')).vmCommand,
  selftests: async () => (await import('./commands/selftests.js')).selftestsCommand,
  // Subcommands owned by other parts of the tree; each keeps its own module.
  report: async () => (await import('./report.js')).reportCommand,
  diff: async () => (await import('./diff.js')).diffCommand,
  agent: async () => {
    const { agentMain } = await import('./agent.js');
    return async (args) => (await agentMain([...args])) as ExitCode;
  },
};

export const main = async (argv: readonly string[], io: Io = processIo()): Promise<ExitCode> => {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(USAGE);
    return name === undefined ? EXIT.USAGE : EXIT.PASS;
  }
  const load = COMMANDS[name];
  try {
    if (load === undefined) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
    return await (await load())(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`gmemcheck: error: ${e.message}`);
      return EXIT.USAGE;
    }
    if (e instanceof NothingTestedError) {
      io.err(`gmemcheck: ${e.message} (exit ${EXIT.NOTHING}: nothing tested)`);
      return EXIT.NOTHING;
    }
    // Anything else is the harness breaking: one line plus its cause chain, never a conformance verdict.
    const msg = e instanceof Error ? `${e.name === 'Error' || e instanceof InfraError ? '' : `${e.name}: `}${e.message}` : String(e);
    io.err(`gmemcheck: infrastructure error: ${msg}`);
    if (process.env['GMEMCHECK_DEBUG'] && e instanceof Error && e.stack) io.err(e.stack);
    return EXIT.INFRA;
  }
};
