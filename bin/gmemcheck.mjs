#!/usr/bin/env node
// gmemcheck CLI launcher: the sources are TypeScript, so register tsx's ESM loader, then run
// cli/main.ts and exit with its code (see cli/errors.ts for the meaning of each code).
import { register } from 'tsx/esm/api';

// `gmemcheck rules | head`: a closed pipe ends the output, it is not a crash.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

register();
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
