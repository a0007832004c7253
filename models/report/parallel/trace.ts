/**
 * The trace of a parallel counterexample, schema "gmemcheck-parallel-trace/1": the case (prefix and
 * branches), what each op observed and when (real-time order, in ns or scheduler steps), the
 * emulator's interleaving (replayed exactly), and the verdict: why no interleaving explains the
 * outcomes (the deepest dead end of the linearizability search). bigints are strings with an `n`
 * suffix (spec/vocab/codec.ts). The loader checks everything, as for every input from outside.
 */
import type { Outcome } from '../../../spec/vocab/index.js';
import type { ProbeResult } from '../../../spec/vocab/target.js';
import { parse, stringify } from '../../../spec/vocab/codec.js';
import { fillAddedFields } from '../../../spec/vocab/validate.js';
import { caseProblem, type ParallelCase } from '../../parallel/case.js';
import type { ParallelFailure } from '../../parallel/failure.js';
import type { Blocked, Placed } from '../../parallel/linearize.js';
import { TraceError, checkProfile, readTraceFile, type TraceOrigin } from '../trace.js';

export const PARALLEL_TRACE_SCHEMA = 'gmemcheck-parallel-trace/1';

export interface TimedStep {
  readonly observed: Outcome;
  readonly start?: number;
  readonly end?: number;
}

export interface ParallelTrace extends TraceOrigin {
  readonly schema: typeof PARALLEL_TRACE_SCHEMA;
  readonly case: ParallelCase;
  /** What each prefix op observed and what the spec allowed there. */
  readonly prefix: readonly { readonly observed: Outcome; readonly allowed: readonly Outcome[]; readonly rules: readonly string[] }[];
  /** branches[b][i]: what op i of branch b observed, and when. */
  readonly branches: readonly (readonly TimedStep[])[];
  /** The emulator's interleaving: the task run at each scheduler step (the branch count = the uffd monitor). */
  readonly schedule?: readonly number[];
  /** Which execution of the case showed it (real kernels repeat each case). */
  readonly execution: number;
  readonly undecided: boolean;
  readonly explored: number;
  readonly deepest: readonly Placed[];
  readonly blocked: readonly Blocked[];
  readonly stateAfterPrefix: string;
}

export interface ParallelTraceMeta {
  readonly phase: 'first' | 'shrunk';
  readonly probe: ProbeResult;
  readonly bugs: readonly string[];
  readonly targetSeed?: number;
}

export const buildParallelTrace = (f: ParallelFailure, m: ParallelTraceMeta): ParallelTrace => ({
  schema: PARALLEL_TRACE_SCHEMA, phase: m.phase, createdAt: new Date().toISOString(), target: f.target, release: m.probe.release,
  ...(m.targetSeed !== undefined ? { targetSeed: m.targetSeed } : {}), bugs: m.bugs, profile: f.profile, case: f.case,
  prefix: f.prefix.map((s) => ({ observed: s.observed, allowed: s.allowed, rules: s.rules })),
  branches: f.branches.map((b) => b.map((s) => ({ observed: s.observed, ...(s.start !== undefined ? { start: s.start } : {}), ...(s.end !== undefined ? { end: s.end } : {}) }))),
  ...(f.schedule !== undefined ? { schedule: f.schedule } : {}),
  execution: f.execution, undecided: f.undecided, explored: f.lin.explored, deepest: f.lin.deepest, blocked: f.lin.blocked,
  stateAfterPrefix: f.stateAfterPrefix.text,
});

export const parallelTraceJson = (t: ParallelTrace): string => `${stringify(t, 2)}\n`;

/** Longest recorded schedule accepted (far above what 3 branches of 4 ops take). */
export { MAX_SCHEDULE } from '../../../spec/vocab/target.js';
import { MAX_SCHEDULE } from '../../../spec/vocab/target.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const outcomeKinds = ['ok', 'errno', 'signal', 'uffd', 'exit'];

/** Validates a parsed parallel trace (what replay needs of it; the verdict parts are informational). */
export const validateParallelTrace = (v: unknown): ParallelTrace => {
  if (!isObj(v) || v['schema'] !== PARALLEL_TRACE_SCHEMA) throw new TraceError(`schema is not "${PARALLEL_TRACE_SCHEMA}"`);
  for (const k of ['target', 'release', 'stateAfterPrefix']) if (typeof v[k] !== 'string') throw new TraceError(`${k} must be a string`);
  if (!Array.isArray(v['bugs']) || !v['bugs'].every((b) => typeof b === 'string')) throw new TraceError('bugs must be a list of strings');
  checkProfile(v['profile']);
  const bad = caseProblem(v['case']);
  if (bad !== undefined) throw new TraceError(`case: ${bad}`);
  const c = v['case'] as ParallelCase;
  const br = v['branches'];
  if (!Array.isArray(br) || br.length !== c.branches.length) throw new TraceError('branches must hold one list per branch of the case');
  br.forEach((b: unknown, i) => {
    if (!Array.isArray(b) || b.length !== c.branches[i]!.length) throw new TraceError(`branches[${i}] must hold one step per op`);
    b.forEach((s: unknown, k) => {
      if (!isObj(s) || !isObj(s['observed']) || !outcomeKinds.includes(s['observed']['kind'] as string)) throw new TraceError(`branches[${i}][${k}].observed is not an outcome`);
    });
  });
  const sched = v['schedule'];
  if (sched !== undefined && (!Array.isArray(sched) || sched.length > MAX_SCHEDULE || !sched.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 3))) {
    throw new TraceError(`schedule must be a list of at most ${MAX_SCHEDULE} task numbers 0..3`);
  }
  if (v['targetSeed'] !== undefined && !Number.isSafeInteger(v['targetSeed'])) throw new TraceError('targetSeed must be an integer');
  return v as unknown as ParallelTrace;
};

export const isParallelTraceText = (text: string): boolean => text.includes(`"${PARALLEL_TRACE_SCHEMA}"`);

export const loadParallelTrace = (file: string): ParallelTrace => {
  let v: unknown;
  try {
    v = parse(readTraceFile(file));
  } catch (e) {
    if (e instanceof TraceError) throw e;
    throw new TraceError('not valid JSON');
  }
  return validateParallelTrace(withAddedFields(v));
};

/** A trace recorded before an op gained a field (spec/vocab/validate.ts fillAddedFields): its ops get the field's old meaning. */
const withAddedFields = (v: unknown): unknown => {
  if (!isObj(v) || !isObj(v['case'])) return v;
  const c = v['case'];
  const fill = (ops: unknown): unknown => (Array.isArray(ops) ? ops.map(fillAddedFields) : ops);
  const branches = Array.isArray(c['branches']) ? c['branches'].map(fill) : c['branches'];
  return { ...v, case: { ...c, prefix: fill(c['prefix']), branches } };
};
