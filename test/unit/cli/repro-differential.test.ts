/**
 * The C reproducer does what the native target does. Generated sequences are run on the native
 * target, then all of them are emitted as one batch reproducer (one C function per sequence),
 * compiled with gcc -Wall -Werror and run. Every step's outcome code printed by the C program must
 * equal the native target's outcome, and its ok / not ok must equal the spec's verdict on it.
 *
 * Two forms, so that it runs wherever a native target does:
 *  - on a kernel with guest_memfd: the mixed op mix, in lockstep with the probed profile;
 *  - on a kernel without it (this CI's): sequences weighted to the memfd control backing, whose
 *    guest_memfd ops all answer what such a kernel answers (ENOTTY, EBADF on the dead fd). Past the
 *    first step the spec does not allow (a linux-6.18 profile expects guest_memfd), a step's allowed
 *    set is the native outcome itself, so the C verdict still checks the C outcome.
 * Skipped (with the reason) when the native target or gcc is unusable.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAllowed, type Op, type OpKind, type Outcome, type Profile } from '../../../spec/vocab/index.js';
import type { Verdict } from '../../../spec/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { createNativeTarget, guestMemfdAvailable, nativeAvailable } from '../../../adapters/native/index.js';
import { NATIVE_LIMITS } from '../../../models/generate/context.js';
import { MIXED, type Mix } from '../../../models/generate/mixes.js';
import { sequenceArb } from '../../../models/generate/sequence.js';
import { resolveTemplates } from '../../../models/property.js';
import { SPEC } from '../../../models/spec-api.js';
import { encodeOutcome } from '../../../models/report/outcome-code.js';
import { reproProgram, type ReproCase } from '../../../models/report/repro/program.js';
import { setupTarget } from '../../../cli/targets.js';
import { compileAndRun } from './c-batch.js';
import { childScenario, moveScenario } from '../native/_child-scenario.js';
import { numaScenario } from '../native/_numa-scenario.js';
import { homeNodeScenario, memslotPadScenario } from '../native/_homeslot-scenario.js';
import { linux618NoGmem } from '../../../spec/profiles/index.js';

const SEQUENCES = 200;
const native = nativeAvailable();
const gmem = guestMemfdAvailable();
const gcc = spawnSync('gcc', ['--version']).status === 0;
const skipWhy = !native.ok ? native.reason : !gcc ? 'gcc is not installed' : undefined;

interface Run { readonly case: ReproCase; readonly observed: string[]; readonly conforms: boolean[] }

/** Runs every op on a fresh native target; allowed sets from the spec while it is followed, then the outcome itself. */
const runNative = async (name: string, profile: Profile, ops: readonly Op[]): Promise<Run> => {
  const target = await createNativeTarget();
  type State = ReturnType<typeof SPEC.initialState>;
  let state: State | undefined = SPEC.initialState(profile);
  const steps: { op: Op; allowed: readonly Outcome[]; rules: readonly string[] }[] = [];
  const observed: string[] = [];
  const conforms: boolean[] = [];
  try {
    for (const op of ops) {
      const v: Verdict<State> | undefined = state === undefined ? undefined : SPEC.step(profile, state, op);
      const o = await target.apply(op);
      const allowed = v?.allowed ?? [o];
      steps.push({ op, allowed, rules: v?.rules ?? ['(after a step the spec did not allow)'] });
      observed.push(encodeOutcome(o));
      conforms.push(isAllowed(o, allowed));
      state = v !== undefined && isAllowed(o, v.allowed) ? v.next(o) : undefined;
    }
  } finally {
    await target.close();
  }
  return { case: { name, steps }, observed, conforms };
};

/** Without guest_memfd: mostly the memfd backing; every gmem-dependent op still appears and fails as this kernel says. */
const MEMFD_MIX: Mix = { ...MIXED, createMemfd: 8, createGmem: 1, mmap: 6 };

describe('C reproducer vs native target', () => {
  it.skipIf(skipWhy !== undefined)(`agrees step by step on ${SEQUENCES} generated sequences${skipWhy ? ` (skipped: ${skipWhy})` : gmem.ok ? '' : ' (memfd form: this kernel has no guest_memfd)'}`, { timeout: 120_000 }, async () => {
    const s = gmem.ok ? await setupTarget('native') : undefined;
    if (s !== undefined && !s.ok) throw new Error(s.reason);
    const profile = s?.setup.profile ?? linux618;
    const excluded = new Set<OpKind>(s ? (Object.keys(s.setup.unsupported) as OpKind[]) : ['guestAccess', 'guestMapLevel']);
    const mix = gmem.ok ? MIXED : MEMFD_MIX;
    const templates = fc.sample(sequenceArb({ mix, maxLength: 40, excluded }), { numRuns: SEQUENCES, seed: 20261122 });
    const runs: Run[] = [];
    for (const [k, t] of templates.entries()) runs.push(await runNative(`sequence ${k}`, profile, resolveTemplates(t, NATIVE_LIMITS, profile)));

    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-differential-'));
    const run = await compileAndRun(dir, 'batch', reproProgram(runs.map((r) => r.case), ['gmemcheck differential test batch']));

    let steps = 0;
    const mismatches: string[] = [];
    const kinds = new Set<string>();
    runs.forEach((r, k) => r.case.steps.forEach((st, i) => {
      const label = `${k + 1}.${i + 1}`;
      steps++;
      kinds.add(st.op.kind);
      const got = run.observed.get(label);
      if (got !== r.observed[i]) mismatches.push(`${label} ${st.op.kind}: native '${r.observed[i]}', C '${got}'`);
      else if (run.verdicts.get(label) !== r.conforms[i]) mismatches.push(`${label} ${st.op.kind}: verdict differs`);
    }));
    expect(mismatches.slice(0, 10)).toEqual([]);
    expect(steps).toBeGreaterThan(SEQUENCES * 10);
    // Every op kind a standalone program can issue was compared, not only the ones that succeed here.
    expect(kinds.size).toBeGreaterThanOrEqual(28);
    expect(run.exit).toBe(runs.some((r) => r.conforms.includes(false)) ? 1 : 0);
  });

  it.for([['the forked child', childScenario], ['UFFDIO_MOVE', moveScenario], ['the NUMA ops', numaScenario], ['set_mempolicy_home_node', homeNodeScenario], ['the memslot pads', memslotPadScenario]] as const)('%s\'s memfd scenario: the C reproducer answers as the native target', { timeout: 60_000 }, async ([, scenario], ctx) => {
    if (skipWhy !== undefined) return ctx.skip(skipWhy);
    if (gmem.ok) return ctx.skip('this kernel has guest_memfd: the generated sequences above cover these ops');
    const r = await runNative('scenario', linux618NoGmem, scenario());
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-child-'));
    const run = await compileAndRun(dir, 'child', reproProgram([r.case], ['gmemcheck child scenario']));
    // A program of one case numbers its steps 1, 2, … (a batch numbers them case.step).
    const mismatches = r.case.steps.flatMap((st, i) => (run.observed.get(`${i + 1}`) === r.observed[i] ? [] : [`${i + 1} ${st.op.kind}: native '${r.observed[i]}', C '${run.observed.get(`${i + 1}`)}'`]));
    expect(mismatches).toEqual([]);
    expect(r.conforms.every(Boolean)).toBe(true);
    expect(r.observed.filter((o) => o.startsWith('errno')).length).toBeGreaterThan(3);
  });
});
