import { it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { reproProgram } from '../models/report/repro/program.js';
import { compileAndRun } from '../test/unit/cli/c-batch.js';
import { childScenario } from '../test/unit/native/_child-scenario.js';
it('dbg', async () => {
  const steps = childScenario().map((op) => ({ op, allowed: [{ kind: 'ok' as const }], rules: ['X'] }));
  const dir = mkdtempSync(path.join(tmpdir(), 'gmc-child-'));
  const run = await compileAndRun(dir, 'child', reproProgram([{ name: 'c', steps }], ['x']));
  console.log(dir, run.exit, run.stdout.slice(0, 3000));
});
