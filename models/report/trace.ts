/**
 * trace.json, schema "gmemcheck-trace/1" (documented in docs/trace-schema.md): one failing case,
 * complete enough to replay on any target and to regenerate every other artifact. bigint values
 * are strings with an `n` suffix (spec/vocab/codec.ts). The loader validates and names the first
 * problem it finds, so a hand-edited or truncated trace fails with a clear message.
 */
import type { Op, Outcome, Profile, VariantKey } from '../../spec/vocab/index.js';
import { OP_KINDS, VARIANT_VALUES } from '../../spec/vocab/index.js';
import type { ProbeResult } from '../../spec/vocab/target.js';
import { parse, stringify } from '../../spec/vocab/codec.js';
import type { Failure } from '../lockstep.js';
import { readRegularFile } from './read-file.js';

export const TRACE_SCHEMA = 'gmemcheck-trace/1';

/** What every trace says about where it ran (this schema and the parallel one, ./parallel/trace.ts). */
export interface TraceOrigin {
  /** 'first': the first failing case found; 'shrunk': the minimal one fast-check shrank it to. */
  readonly phase: 'first' | 'shrunk';
  readonly createdAt: string;
  readonly target: string;
  readonly release: string;
  /** The seed the target instance was created with (the emulator's internal choices descend from it). */
  readonly targetSeed?: number;
  /** Emulator bugs that were switched on (empty for a real kernel). */
  readonly bugs: readonly string[];
  /** The profile the spec judged by. */
  readonly profile: Profile;
  /** The profile the emulator implemented, when it was not `profile` (a deviating kernel on purpose). */
  readonly emulatorProfile?: string;
}

export interface Trace extends TraceOrigin {
  readonly schema: typeof TRACE_SCHEMA;
  /** What the target probed: capabilities, VM types, NUMA nodes, behavioural probes. */
  readonly capabilities?: Omit<ProbeResult, 'unsupported'>;
  readonly ops: readonly Op[];
  /** observed[i] is what the target did for ops[i]; the sequence stops at the failing step. */
  readonly observed: readonly Outcome[];
  /** allowed[i]: the outcomes the spec allowed for ops[i]. */
  readonly allowed: readonly (readonly Outcome[])[];
  /** stepRules[i]: the rule ids that decided step i's verdict. */
  readonly stepRules: readonly (readonly string[])[];
  /** Zero-based index of the step whose observed outcome is not in allowed. */
  readonly failingStep: number;
  /** The rules of the failing step, most specific first. */
  readonly rules: readonly string[];
  /** Why the failing step allowed more than one outcome, if it did. */
  readonly loose?: string;
  /** The spec's abstract state before the failing step, as text. */
  readonly stateBefore: string;
  readonly fastCheck?: { readonly seed?: number; readonly path?: string };
}

export interface TraceMeta {
  readonly phase: 'first' | 'shrunk';
  readonly probe: ProbeResult;
  readonly bugs: readonly string[];
  readonly emulatorProfile?: string;
  readonly targetSeed?: number;
  readonly fastCheck?: { readonly seed?: number; readonly path?: string };
}

export const buildTrace = (f: Failure, m: TraceMeta): Trace => {
  const { unsupported: _u, ...capabilities } = m.probe;
  const step = f.steps[f.index]!;
  return {
    schema: TRACE_SCHEMA, phase: m.phase, createdAt: new Date().toISOString(),
    target: f.target, release: m.probe.release,
    ...(m.targetSeed !== undefined ? { targetSeed: m.targetSeed } : {}),
    bugs: m.bugs, profile: f.profile, ...(m.emulatorProfile !== undefined ? { emulatorProfile: m.emulatorProfile } : {}), capabilities,
    ops: f.steps.map((s) => s.op), observed: f.steps.map((s) => s.observed),
    allowed: f.steps.map((s) => s.allowed), stepRules: f.steps.map((s) => s.rules),
    failingStep: f.index, rules: step.rules, ...(step.loose ? { loose: step.loose } : {}),
    stateBefore: f.stateBefore.text,
    ...(m.fastCheck ? { fastCheck: m.fastCheck } : {}),
  };
};

export const traceJson = (t: Trace): string => `${stringify(t, 2)}\n`;

export class TraceError extends Error {
  override name = 'TraceError';
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const int = (v: unknown, lo: number, hi: number): boolean => Number.isSafeInteger(v) && (v as number) >= lo && (v as number) <= hi;
const u64 = (v: unknown): boolean => typeof v === 'bigint' && v >= 0n && v < 1n << 64n;

/** A trace's profile drives the spec and the emulator: every field is checked, not only its shape. */
export const checkProfile = (p: unknown): void => {
  if (!isObj(p) || typeof p['name'] !== 'string' || p['name'].length > 256) throw new TraceError('profile must be an object with a name');
  if (typeof p['describes'] !== 'string' || p['describes'].length > 4096) throw new TraceError('profile.describes must be a string');
  for (const k of ['caps', 'features', 'variants']) if (!isObj(p[k])) throw new TraceError(`profile.${k} must be an object`);
  if (!int(p['numaNodes'], 1, 1024)) throw new TraceError('profile.numaNodes must be an integer in 1..1024');
  const caps = p['caps'] as Record<string, unknown>;
  if (!u64(caps['gmemFlags']) || !u64(caps['gmemFlagsPrivateVm'])) throw new TraceError('profile.caps.gmemFlags* must be u64 bigints');
  const types = caps['vmTypes'];
  if (!Array.isArray(types) || types.length > 64 || !types.every((t) => int(t, 0, 255))) throw new TraceError('profile.caps.vmTypes must be a list of VM types');
  for (const k of ['memoryAttributes', 'preFault', 'nrMemslots']) {
    if (!int(caps[k], -(2 ** 31), 2 ** 32)) throw new TraceError(`profile.caps.${k} must be an integer`);
  }
  const features = p['features'] as Record<string, unknown>;
  for (const k of ['conversion', 'uffd', 'noDirectMap', 'write']) {
    if (typeof features[k] !== 'boolean') throw new TraceError(`profile.features.${k} must be a boolean`);
  }
  const variants = p['variants'] as Record<string, unknown>;
  for (const [k, values] of Object.entries(VARIANT_VALUES) as [VariantKey, readonly string[]][]) {
    if (!values.includes(variants[k] as string)) throw new TraceError(`profile.variants.${k} must be one of ${values.join(', ')}`);
  }
};

const checkOutcome = (o: unknown, where: string): void => {
  if (!isObj(o) || !['ok', 'errno', 'signal', 'uffd', 'exit'].includes(o['kind'] as string)) throw new TraceError(`${where} is not an outcome`);
};

/** Validates a parsed trace (bigints already decoded). */
export const validateTrace = (v: unknown): Trace => {
  if (!isObj(v)) throw new TraceError('a trace is a JSON object');
  if (v['schema'] !== TRACE_SCHEMA) {
    // Another version of ours is named; anything else is not echoed (errors never repeat a file's contents).
    const other = typeof v['schema'] === 'string' && /^gmemcheck-trace\/\d{1,4}$/.test(v['schema']) ? `"${v['schema']}"` : 'not ours';
    throw new TraceError(`schema is ${other}, expected "${TRACE_SCHEMA}"`);
  }
  for (const k of ['target', 'release', 'stateBefore']) if (typeof v[k] !== 'string') throw new TraceError(`${k} must be a string`);
  if (!Array.isArray(v['bugs']) || !v['bugs'].every((b) => typeof b === 'string')) throw new TraceError('bugs must be a list of strings');
  checkProfile(v['profile']);
  if (v['emulatorProfile'] !== undefined && !(typeof v['emulatorProfile'] === 'string' && v['emulatorProfile'].length <= 256)) {
    throw new TraceError('emulatorProfile must be a profile name');
  }
  const ops = v['ops'];
  if (!Array.isArray(ops) || ops.length === 0) throw new TraceError('ops must be a non-empty list');
  ops.forEach((op, i) => {
    // The kind itself is not echoed: errors never repeat a file's contents.
    if (!isObj(op) || !(OP_KINDS as readonly string[]).includes(op['kind'] as string)) throw new TraceError(`ops[${i}] has no known kind`);
  });
  for (const k of ['observed', 'allowed', 'stepRules']) {
    const a = v[k];
    if (!Array.isArray(a) || a.length !== ops.length) throw new TraceError(`${k} must be a list with one entry per op (${ops.length})`);
  }
  (v['observed'] as unknown[]).forEach((o, i) => checkOutcome(o, `observed[${i}]`));
  (v['allowed'] as unknown[]).forEach((a, i) => {
    if (!Array.isArray(a)) throw new TraceError(`allowed[${i}] must be a list`);
    a.forEach((o, j) => checkOutcome(o, `allowed[${i}][${j}]`));
  });
  const fs = v['failingStep'];
  if (typeof fs !== 'number' || !Number.isInteger(fs) || fs < 0 || fs >= ops.length) {
    throw new TraceError(`failingStep must be a step index in 0..${ops.length - 1}`);
  }
  if (!Array.isArray(v['rules'])) throw new TraceError('rules must be a list');
  return v as unknown as Trace;
};

export const parseTrace = (text: string): Trace => {
  let v: unknown;
  try {
    v = parse(text);
  } catch {
    // V8's message quotes the text around the error: a file's contents are never echoed.
    throw new TraceError('not valid JSON');
  }
  return validateTrace(v);
};

/** Largest trace file accepted (a long shrunk case with its allowed sets is well under 1 MiB). */
export const MAX_TRACE_BYTES = 16 << 20;

/** A trace file's text: a regular file of at most MAX_TRACE_BYTES (models/report/read-file.ts). */
export const readTraceFile = (file: string): string => readRegularFile(file, MAX_TRACE_BYTES, 'a trace is a JSON file', (m) => new TraceError(m));

export const loadTrace = (file: string): Trace => {
  const text = readTraceFile(file);
  try {
    return parseTrace(text);
  } catch (e) {
    if (e instanceof TraceError) throw new TraceError(`${file}: ${e.message}`);
    throw e;
  }
};
