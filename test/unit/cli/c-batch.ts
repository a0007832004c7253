/**
 * Compiles and runs a batch reproducer, returning every `# observed <case>.<step> <code>` line it
 * printed. Used by the differential test; kept apart so the test itself reads as the claim.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';

const run = (cmd: string, args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });

export interface BatchRun {
  readonly exit: number | null;
  readonly stdout: string;
  /** "case.step" (1-based) → observed outcome code. */
  readonly observed: ReadonlyMap<string, string>;
  /** "case.step" → did the program judge the outcome allowed (its ok / not ok line)? */
  readonly verdicts: ReadonlyMap<string, boolean>;
}

export const compileAndRun = async (dir: string, name: string, source: string): Promise<BatchRun> => {
  const src = path.join(dir, `${name}.c`);
  const exe = path.join(dir, name);
  writeFileSync(src, source);
  const cc = await run('gcc', ['-Wall', '-Werror', '-O0', '-o', exe, src]);
  if (cc.code !== 0) throw new Error(`gcc failed for ${src}:\n${cc.stderr.slice(0, 2000)}`);
  const r = await run(exe, []);
  const observed = new Map<string, string>();
  const verdicts = new Map<string, boolean>();
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*# observed (\S+) (.*)$/.exec(line);
    if (m) observed.set(m[1]!, m[2]!);
    const v = /^\s*(not )?ok \d+ step (\S+):/.exec(line);
    if (v) verdicts.set(v[2]!, v[1] === undefined);
  }
  return { exit: r.code, stdout: r.stdout, observed, verdicts };
};
