/**
 * Glue between vitest and the conformance runner: sets a target up once per file, runs a domain's
 * property, records the numbers for the summary reporter, and turns capability gaps into SKIPs
 * with their reason (never a silent pass).
 */
import { inject, type TestContext } from 'vitest';
import type { OpKind, Profile } from '../../spec/vocab/index.js';
import type { Mix } from '../../models/generate/mixes.js';
import { checkConformance, ConformanceError } from '../../models/property.js';
import { conformanceReport } from '../../models/report/message.js';
import { type SetupResult, type TargetKind } from '../../models/target-setup.js';
import { setupTarget } from '../../cli/targets.js';
import { canRunBranches } from '../../spec/vocab/target.js';
import { checkParallel, ParallelConformanceError } from '../../models/parallel/property.js';
import { formatParallelFailure } from '../../models/report/parallel/message.js';
import type { Backing } from '../../models/parallel/case.js';
import { targetFromEnv } from '../../cli/target-spec.js';
import { chooseTarget, type TargetChoice } from '../../cli/target-choice.js';
import '../../test/task-meta.js';

declare module 'vitest' {
  export interface ProvidedContext {
    target: TargetKind;
  }
}

/**
 * GMEMCHECK_TARGET means here what it means to `gmemcheck run` (cli/target-spec.ts: auto, emulator,
 * native or an agent URL; a bad value is an error, never silently the project's default), and
 * `auto` picks as run does (cli/target-choice.ts).
 */
export const envTarget = (env: NodeJS.ProcessEnv = process.env): TargetChoice | undefined => {
  const spec = targetFromEnv(env);
  return spec === undefined ? undefined : chooseTarget(spec, []);
};

/** The target under test: GMEMCHECK_TARGET, else the vitest project's, else the emulator. */
export const targetKind = (): TargetKind => envTarget()?.kind ?? inject('target') ?? 'emulator';
const remoteUrl = (): string | undefined => envTarget()?.url;

/** Runs from GMEMCHECK_RUNS_SCALE (default 1) let a user run the suite longer or shorter. */
const scale = (): number => Number(process.env['GMEMCHECK_RUNS_SCALE'] ?? '1') || 1;
/**
 * The fast-check seed of a property. GMEMCHECK_SEED fixes it everywhere. In CI (CI set) each
 * property gets a stable seed derived from its name, so a CI verdict is reproducible and a red run
 * always means the same thing; elsewhere it is random (fast-check's own), so every developer run
 * explores new sequences. The seed is printed with every failure either way.
 */
export const seedFor = (name: string): number | undefined => {
  if (process.env['GMEMCHECK_SEED']) return Number(process.env['GMEMCHECK_SEED']);
  if (!process.env['CI']) return undefined;
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h | 0;
};

export interface DomainRun {
  readonly mix: Mix;
  readonly numRuns: number;
  readonly maxLength: number;
  /** Op kinds without which this property says nothing: skip (with the reason) if unsupported. */
  readonly requires?: readonly OpKind[];
}

/** Emulator bugs switched on for the whole run (GMEMCHECK_EMULATOR_BUGS=a,b): shows the suite catching them. */
const envBugs = (): readonly string[] => (process.env['GMEMCHECK_EMULATOR_BUGS'] ?? '').split(',').filter(Boolean);

export const setupFor = (profile?: Profile, bugs?: readonly string[], memfdOnly = false): Promise<SetupResult> =>
  setupTarget(targetKind(), { ...(profile ? { profile } : {}), bugs: bugs ?? envBugs(), ...(remoteUrl() ? { url: remoteUrl()! } : {}), ...(memfdOnly ? { memfdOnly } : {}) });

const seedParam = (name: string): { seed?: number } => {
  const seed = seedFor(name);
  return seed === undefined ? {} : { seed };
};

export const runDomain = async (ctx: TestContext, setup: SetupResult, run: DomainRun): Promise<void> => {
  if (!setup.ok) return ctx.skip(setup.reason);
  const s = setup.setup;
  const missing = (run.requires ?? []).filter((k) => s.unsupported[k] !== undefined);
  if (missing.length) return ctx.skip(missing.map((k) => `${k}: ${s.unsupported[k]}`).join('; '));
  const stats = await checkConformance(
    { profile: s.profile, makeTarget: s.makeTarget, mix: run.mix, maxLength: run.maxLength, limits: s.limits, excluded: s.excluded },
    { numRuns: Math.max(1, Math.round(run.numRuns * scale())), ...seedParam(ctx.task.fullName) },
  ).catch((e: unknown) => {
    // vitest shows the error's message: make it the whole report (rule, step, wanted vs got, replay).
    if (e instanceof ConformanceError) e.message = conformanceReport(e, s.replay);
    throw e;
  });
  ctx.task.meta.gmemcheck = { opsChecked: stats.opsChecked, sequences: stats.sequences, rules: [...stats.ruleHits.keys()] };
};

/**
 * The parallel property (models/parallel) on a set-up target: the emulator interleaves with its
 * seeded scheduler (one execution per case), a real kernel runs each case `repeats` times on
 * threads. A target that cannot run branches is a skip with the reason.
 */
export const runParallelProperty = async (ctx: TestContext, setup: SetupResult, numRuns: number, repeats: number, backing?: Backing): Promise<void> => {
  if (!setup.ok) return ctx.skip(setup.reason);
  const s = setup.setup;
  // guest_memfd cases on a target without it (a kernel built without CONFIG_KVM_GUEST_MEMFD): a skip with the reason.
  const noGmem = s.unsupported.createGmem ?? s.unsupported.createVm;
  if (backing === 'guest_memfd' && noGmem !== undefined) return ctx.skip(`guest_memfd cases: ${noGmem}`);
  const probe = await s.makeTarget(0);
  const can = canRunBranches(probe);
  await probe.close();
  if (!can) return ctx.skip(`the ${s.kind} target cannot run branches concurrently (an agent older than the branches request: update it)`);
  const emulated = s.probe.target === 'emulator';
  const stats = await checkParallel(
    { profile: s.profile, makeTarget: s.makeTarget, limits: s.limits, excluded: s.excluded, repeats: emulated ? 1 : repeats, scheduled: emulated, ...(backing ? { backing } : {}) },
    { numRuns: Math.max(1, Math.round(numRuns * scale())), ...seedParam(ctx.task.fullName) },
  ).catch((e: unknown) => {
    if (e instanceof ParallelConformanceError) e.message = formatParallelFailure(e);
    throw e;
  });
  if (backing !== undefined && (stats.backings.get(backing) ?? 0) === 0) throw new Error(`no ${backing} case ran`);
  ctx.task.meta.gmemcheck = { opsChecked: stats.opsChecked, sequences: stats.sequences, rules: [...stats.ruleHits.keys()] };
};
