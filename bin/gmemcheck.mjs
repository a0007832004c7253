#!/usr/bin/env node
// gmemcheck CLI launcher: the sources are TypeScript, so register tsx's ESM loader, then run
// cli/main.ts and exit with its code (see cli/errors.ts for the meaning of each code).
import { register } from 'tsx/esm/api';

// `gmemcheck rules | head`: a closed pipe ends the output, it is not a crash.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// Ctrl-C: for `run` the first one asks it to stop and print what it has (its partial summary, exit
// 130) and a second one ends the process at once; the agent and vm stop by their own handlers (vm
// shuts its QEMU down); any other command ends at once.
const GRACEFUL = new Set(['run', 'agent', 'vm']);
const interrupt = new AbortController();
process.on('SIGINT', () => {
  if (interrupt.signal.aborted || !GRACEFUL.has(process.argv[2])) process.exit(130);
  interrupt.abort();
});

register();
const { main } = await import('../cli/main.ts');
const { processIo } = await import('../cli/io.ts');
const code = await main(process.argv.slice(2), processIo(interrupt.signal));
// An interrupted command may leave work in flight (a target op, a shrink): end once the output is out.
if (interrupt.signal.aborted) process.stdout.write('', () => process.exit(code));
else process.exitCode = code;
