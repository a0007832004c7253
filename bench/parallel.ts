/**
 * Parallel cases: executions per second (prefix, branches, check) on the emulator (one scheduled
 * interleaving each) and on this machine's kernel (threads; memfd only where it has no
 * guest_memfd, as the line says), the linearizability check's cost per execution, and the time
 * the branches' concurrent part takes on a real kernel.
 */
import fc from 'fast-check';
import { createEmulator } from '../adapters/emulator/index.js';
import { createNativeTarget, guestMemfdAvailable, nativeAvailable } from '../adapters/native/index.js';
import type { OpKind, Profile } from '../spec/vocab/index.js';
import { deriveProfile, resolveProfile } from '../spec/profiles/index.js';
import type { ParallelTarget } from '../spec/vocab/target.js';
import { EMULATOR_LIMITS, NATIVE_LIMITS, type GenLimits } from '../models/generate/context.js';
import { caseArb, resolveCase } from '../models/parallel/generate.js';
import { runCase } from '../models/parallel/run.js';
import { SPEC } from '../models/spec-api.js';
import { now } from './measure.js';

export interface ParallelBench {
  readonly cases: number;
  readonly executions: number;
  readonly ms: number;
  readonly perSec: number;
  /** Mean linearizability check per execution (ms) and the worst one. */
  readonly checkMs: number;
  readonly worstCheckMs: number;
  /** Mean search nodes per execution. */
  readonly nodes: number;
  /** Mean concurrent part per execution on a real kernel (µs). */
  readonly concurrentUs?: number;
  readonly note?: string;
}

const measure = async (profile: Profile, limits: GenLimits, excluded: ReadonlySet<OpKind>, cases: number, repeats: number,
  make: (seed: number) => Promise<ParallelTarget>, scheduled: boolean): Promise<Omit<ParallelBench, 'note'>> => {
  const tmpl = fc.sample(caseArb({ profile, limits, excluded }), { numRuns: cases, seed: 11 });
  const choices = fc.sample(fc.array(fc.nat({ max: 11 }), { maxLength: 48 }), { numRuns: cases, seed: 12 });
  let executions = 0;
  let check = 0;
  let worst = 0;
  let nodes = 0;
  let concurrent = 0;
  const t0 = now();
  for (const [i, t] of tmpl.entries()) {
    const c = resolveCase(t, { profile, limits, excluded });
    if (c.branches.length === 0) continue;
    for (let r = 0; r < repeats; r++) {
      const target = await make(i);
      try {
        const run = await runCase(SPEC, profile, target, c, scheduled ? { choices: choices[i]! } : {});
        executions++;
        check += run.checkMs ?? 0;
        worst = Math.max(worst, run.checkMs ?? 0);
        nodes += run.lin?.explored ?? 0;
        concurrent += (run.ns ?? 0) / 1000;
      } finally {
        await target.close();
      }
    }
  }
  const ms = now() - t0;
  return {
    cases, executions, ms, perSec: (executions / ms) * 1000, checkMs: check / executions, worstCheckMs: worst, nodes: nodes / executions,
    ...(scheduled ? {} : { concurrentUs: concurrent / executions }),
  };
};

export const emulatorParallel = async (cases = 2000): Promise<ParallelBench> => {
  const profile = resolveProfile('uffd-v2');
  return measure(profile, EMULATOR_LIMITS, new Set(), cases, 1, async (seed) => createEmulator({ profile, seed }), true);
};

export const nativeParallel = async (cases = 1000, repeats = 5): Promise<ParallelBench | { readonly skipped: string }> => {
  const n = nativeAvailable();
  if (!n.ok) return { skipped: n.reason };
  const probeTarget = await createNativeTarget();
  const probe = await probeTarget.probe();
  await probeTarget.close();
  const gmem = guestMemfdAvailable();
  const excluded = new Set<OpKind>(gmem.ok ? [] : ['createGmem', 'convert', 'setMemoryAttributes', 'setMemoryRegion']);
  const r = await measure(deriveProfile(probe).profile, NATIVE_LIMITS, excluded, cases, repeats, async () => (await createNativeTarget()) as ParallelTarget, false);
  return gmem.ok ? r : { ...r, note: 'memfd only: this kernel has no guest_memfd' };
};
