/**
 * Why this test? `gmemcheck vm` runs the project as one esbuild bundle in the guest, where the tree
 * is not. A failure found there is shrunk and written with its repro.c, whose C comes from the
 * project's sources (gm_sys.h/.c, runtime.c, …): read from the tree, every VM finding broke the
 * domain with ENOENT (/adapters/native/src/gm_sys.h) and lost its report. The bundle now carries
 * those texts (models/report/repro/c-source.ts); this builds a bundle of the reproducer writer the
 * same way, runs it from a directory outside the tree, and expects the same program as here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cSourcesForBundle } from '../../../models/report/repro/c-source.js';
import { reproProgram, type ReproCase } from '../../../models/report/repro/program.js';
import { ok } from '../../../spec/vocab/index.js';
import { ROOT } from '../cli/run-cli.js';

const CASE: ReproCase = { name: 'one', steps: [{ op: { kind: 'createMemfd', id: 0, size: 4096n }, allowed: [ok()], rules: ['GEN-MEMFD'] }] };

describe('the guest bundle writes reproducers without the tree', () => {
  it('a bundled reproProgram run from outside the repository gives the same C', async () => {
    const { build } = await import('esbuild');
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-bundle-'));
    const entry = [
      `import { reproProgram } from ${JSON.stringify(path.join(ROOT, 'models/report/repro/program.ts'))};`,
      `process.stdout.write(reproProgram([{ name: 'one', steps: [{ op: { kind: 'createMemfd', id: 0, size: 4096n }, allowed: [{ kind: 'ok' }], rules: ['GEN-MEMFD'] }] }], ['h']));`,
    ].join('\n');
    const r = await build({
      stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
      bundle: true, platform: 'node', format: 'esm', target: 'node20', write: false, logLevel: 'silent',
      define: { GMEMCHECK_C_SOURCES: JSON.stringify(cSourcesForBundle()) },
      banner: { js: "import { createRequire as __gmcCreateRequire } from 'node:module'; const require = __gmcCreateRequire(import.meta.url);" },
    });
    const file = path.join(dir, 'bundle.mjs');
    writeFileSync(file, r.outputFiles[0]!.contents);
    const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(reproProgram([CASE], ['h']));
    expect(run.stdout).toMatch(/memfd_create/);
  }, 60_000);
});
