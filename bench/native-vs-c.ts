/**
 * The same fixed 10,000-op sequence run through the native target and by its generated C program
 * (models/report/repro), timed in the same run. Both issue the same syscalls; the ratio is the
 * overhead of the Node-API target (and, in the second figure, of the spec check as well).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { OpKind, Outcome } from '../spec/vocab/index.js';
import { createNativeTarget, guestMemfdAvailable } from '../adapters/native/index.js';
import { NATIVE_LIMITS } from '../models/generate/context.js';
import { MIXED } from '../models/generate/mixes.js';
import { sequenceArb } from '../models/generate/sequence.js';
import { lockstep } from '../models/lockstep.js';
import { resolveTemplates } from '../models/property.js';
import { SPEC } from '../models/spec-api.js';
import { setupTarget } from '../cli/targets.js';
import { reproProgram } from '../models/report/repro/program.js';
import { now } from './measure.js';

export type NativeVsC =
  | { ok: true; ops: number; nativeMs: number; lockstepMs: number; cMs: number }
  | { ok: false; reason: string };

export const nativeVsC = async (n: number): Promise<NativeVsC> => {
  const avail = guestMemfdAvailable();
  if (!avail.ok) return { ok: false, reason: avail.reason };
  if (spawnSync('gcc', ['--version']).status !== 0) return { ok: false, reason: 'gcc is not installed' };
  const s = await setupTarget('native');
  if (!s.ok) return { ok: false, reason: s.reason };
  const excluded = new Set(Object.keys(s.setup.unsupported) as OpKind[]);
  const [templates] = fc.sample(sequenceArb({ mix: MIXED, minLength: n, maxLength: n, excluded }), { numRuns: 1, seed: 424242 });
  const ops = resolveTemplates(templates!, NATIVE_LIMITS, s.setup.profile);

  // The native target alone: apply every op, as the C program does.
  const t = await createNativeTarget();
  const t0 = now();
  for (const op of ops) await t.apply(op);
  const nativeMs = now() - t0;
  await t.close();

  // The native target in lockstep with the spec (what a conformance run does per op).
  const t2 = await createNativeTarget();
  const t1 = now();
  const r = await lockstep(SPEC, s.setup.profile, t2, ops);
  const lockstepMs = now() - t1;
  await t2.close();

  const allowed = r.steps.map((x): readonly Outcome[] => x.allowed);
  const steps = ops.map((op, i) => ({ op, allowed: allowed[i] ?? [], rules: r.steps[i]?.rules ?? [] }));
  const dir = mkdtempSync(path.join(tmpdir(), 'gmc-bench-'));
  const src = path.join(dir, 'bench.c');
  writeFileSync(src, reproProgram([{ name: 'bench', steps }], ['gmemcheck bench: native vs C']));
  const cc = spawnSync('gcc', ['-O2', '-Wall', '-o', path.join(dir, 'bench'), src], { encoding: 'utf8' });
  if (cc.status !== 0) return { ok: false, reason: `gcc failed: ${cc.stderr.slice(0, 300)}` };
  const c0 = now();
  spawnSync(path.join(dir, 'bench'), [], { stdio: 'ignore' });
  const cMs = now() - c0;
  return { ok: true, ops: ops.length, nativeMs, lockstepMs, cMs };
};
