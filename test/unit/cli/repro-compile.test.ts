/**
 * Every op kind has C emission that compiles warning-free: one generated sequence per op kind
 * (its mix weighted to that kind alone), all in one batch program built with gcc -Wall -Werror.
 * When /dev/kvm is usable the program also runs: it prints KTAP with one result line per step,
 * and guest-side steps are SKIPs with their reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OP_KINDS } from '../../../spec/vocab/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { NATIVE_LIMITS } from '../../../models/generate/context.js';
import { sequenceArb } from '../../../models/generate/sequence.js';
import { resolveTemplates } from '../../../models/property.js';
import { reproProgram } from '../../../models/report/repro/program.js';
import { nativeAvailable } from '../../../adapters/native/index.js';
import { compileAndRun } from './c-batch.js';

const gcc = spawnSync('gcc', ['--version']).status === 0;

describe('C emission for every op kind', () => {
  it.skipIf(!gcc)('compiles with gcc -Wall -Werror and runs as KTAP', async () => {
    const cases = OP_KINDS.map((kind, k) => {
      const ops = fc.sample(sequenceArb({ mix: { [kind]: 1 }, maxLength: 4 }), { numRuns: 50, seed: k + 1 })
        .map((t) => resolveTemplates(t, NATIVE_LIMITS, linux618))
        .find((seq) => seq.some((o) => o.kind === kind));
      if (ops === undefined) throw new Error(`no ${kind} generated`);
      return { name: kind, steps: ops.map((op) => ({ op, allowed: [{ kind: 'ok' as const }], rules: ['X'] })) };
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-every-op-'));
    const source = reproProgram(cases, ['every op kind']);
    if (!nativeAvailable().ok) {
      const r = spawnSync('gcc', ['-Wall', '-Werror', '-fsyntax-only', '-x', 'c', '-'], { input: source, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return;
    }
    const run = await compileAndRun(dir, 'every-op', source);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('KTAP version 1');
    expect(lines[1]).toBe(`1..${OP_KINDS.length}`);
    const stepLines = lines.filter((l) => /^ {2}(not )?ok \d+ step /.test(l));
    expect(stepLines).toHaveLength(cases.reduce((n, c) => n + c.steps.length, 0));
    const guest = stepLines.filter((l) => /step \S+: guest(Access|MapLevel)\(/.test(l));
    expect(guest.length).toBeGreaterThan(0);
    for (const l of guest) expect(l).toMatch(/^ {2}ok \d+ .* # SKIP guest-side op: needs a vCPU/);
  });
});
