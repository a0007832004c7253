/**
 * The C reproducer does what the native target does. For 200 generated sequences (the mixed op
 * mix minus what the native target cannot issue, native safety limits), each is run on the native
 * target in lockstep with the spec, then all are emitted as one batch reproducer (one C function
 * per sequence), compiled with gcc -Wall -Werror and run. Every step's outcome code printed by the
 * C program must equal the native target's outcome, and its ok / not ok must equal the spec's
 * verdict on that outcome. Skipped (with the reason) when /dev/kvm or gcc is unusable.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OpKind } from '../../../spec/vocab/index.js';
import { createNativeTarget, guestMemfdAvailable } from '../../../adapters/native/index.js';
import { NATIVE_LIMITS } from '../../../models/generate/context.js';
import { MIXED } from '../../../models/generate/mixes.js';
import { sequenceArb } from '../../../models/generate/sequence.js';
import { lockstep } from '../../../models/lockstep.js';
import { resolveTemplates } from '../../../models/property.js';
import { SPEC } from '../../../models/spec-api.js';
import { isAllowed } from '../../../spec/vocab/index.js';
import { setupTarget } from '../../../cli/targets.js';
import { encodeOutcome } from '../../../models/report/outcome-code.js';
import { reproProgram, type ReproCase } from '../../../models/report/repro/program.js';
import { compileAndRun } from './c-batch.js';

const SEQUENCES = 200;
const native = guestMemfdAvailable();
const gcc = spawnSync('gcc', ['--version']).status === 0;
const skipWhy = !native.ok ? native.reason : !gcc ? 'gcc is not installed' : undefined;

describe('C reproducer vs native target', () => {
  it.skipIf(skipWhy !== undefined)(`agrees step by step on ${SEQUENCES} generated sequences${skipWhy ? ` (skipped: ${skipWhy})` : ''}`, { timeout: 60_000 }, async () => {
    const s = await setupTarget('native');
    if (!s.ok) throw new Error(s.reason);
    const { profile, unsupported } = s.setup;
    const excluded = new Set(Object.keys(unsupported) as OpKind[]);
    const templates = fc.sample(sequenceArb({ mix: MIXED, maxLength: 40, excluded }), { numRuns: SEQUENCES, seed: 20261122 });

    const cases: (ReproCase & { observed: string[]; conforms: boolean[] })[] = [];
    for (const [k, t] of templates.entries()) {
      const ops = resolveTemplates(t, NATIVE_LIMITS, profile);
      const target = await createNativeTarget();
      try {
        const r = await lockstep(SPEC, profile, target, ops);
        cases.push({
          name: `sequence ${k}`, steps: r.steps,
          observed: r.steps.map((x) => encodeOutcome(x.observed)),
          conforms: r.steps.map((x) => isAllowed(x.observed, x.allowed)),
        });
      } finally {
        await target.close();
      }
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-differential-'));
    const run = await compileAndRun(dir, 'batch', reproProgram(cases, ['gmemcheck differential test batch']));

    let steps = 0;
    const mismatches: string[] = [];
    cases.forEach((c, k) => c.steps.forEach((st, i) => {
      const label = `${k + 1}.${i + 1}`;
      steps++;
      const got = run.observed.get(label);
      if (got !== c.observed[i]) mismatches.push(`${label} ${st.op.kind}: native '${c.observed[i]}', C '${got}'`);
      else if (run.verdicts.get(label) !== c.conforms[i]) mismatches.push(`${label} ${st.op.kind}: verdict differs`);
    }));
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(steps).toBeGreaterThan(SEQUENCES);
    expect(run.exit).toBe(cases.some((c) => c.conforms.includes(false)) ? 1 : 0);
  });
});
