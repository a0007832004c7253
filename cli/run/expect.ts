/**
 * Known-deviation baselines (`run --expect FILE`, written by `run --write-expect FILE`): JSON,
 * schema "gmemcheck-expect/1".
 *
 *   {
 *     "schema": "gmemcheck-expect/1",
 *     "profile": "upstream",
 *     "entries": [
 *       { "rule": "SLOT-7", "op": "setMemoryRegion", "release": "*6.18*",
 *         "reason": "6.18 answers EINVAL, EEXIST only since 7.2", "link": "docs/rules.md SLOT-7" }
 *     ]
 *   }
 *
 * An entry is a failure (rule that excluded the observation, kind of op) the kernel is known to
 * have, on kernels whose release matches the glob (`*` any text, `?` one character; matched
 * against the whole release string the target reports). `profile`, when present, names the
 * profile the entries were written under: a run judged by another profile is refused, since its
 * failures would mean something else. JSON, not YAML: the format is small, Node reads it without a
 * dependency, and a kernel CI writes it with --write-expect rather than by hand.
 *
 * The file is untrusted input: a regular file of at most 1 MiB, every field checked, unknown
 * fields refused, errors name the entry and field and never repeat the file's contents.
 */
import { CATALOGUE } from '../../spec/catalogue/index.js';
import { OP_KINDS, type OpKind } from '../../spec/vocab/index.js';
import { readRegularFile } from '../../models/report/read-file.js';
import type { FailureKey } from '../../models/lockstep.js';
import { UsageError } from '../errors.js';

export const EXPECT_SCHEMA = 'gmemcheck-expect/1';
const MAX_BYTES = 1 << 20;
const MAX_ENTRIES = 1000;

export interface ExpectEntry {
  readonly rule: string;
  readonly op: OpKind;
  /** Glob over the kernel release (`uname -r`, or "emulator (<profile>)"). */
  readonly release: string;
  readonly reason: string;
  readonly link?: string;
}

export interface Baseline {
  readonly schema: typeof EXPECT_SCHEMA;
  readonly profile?: string;
  readonly entries: readonly ExpectEntry[];
}

const ENTRY_FIELDS = ['rule', 'op', 'release', 'reason', 'link'];
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max && !/[\u0000-\u0008\u000b-\u001f\u007f]/.test(v);

const checkEntry = (e: unknown, i: number, file: string): ExpectEntry => {
  const where = `${file}: entries[${i}]`;
  if (!isObj(e)) throw new UsageError(`${where} must be an object`);
  const extra = Object.keys(e).find((k) => !ENTRY_FIELDS.includes(k));
  if (extra !== undefined) throw new UsageError(`${where} has an unknown field (fields: ${ENTRY_FIELDS.join(', ')})`);
  if (typeof e['rule'] !== 'string' || !CATALOGUE.has(e['rule'])) throw new UsageError(`${where}.rule must be a catalogue rule id (gmemcheck rules lists them)`);
  if (!(OP_KINDS as readonly unknown[]).includes(e['op'])) throw new UsageError(`${where}.op must be an op kind: ${OP_KINDS.join(', ')}`);
  if (!text(e['release'], 200) || e['release'] === '') throw new UsageError(`${where}.release must be a glob over the kernel release (e.g. "6.18.*")`);
  if (!text(e['reason'], 2000) || e['reason'].trim() === '') throw new UsageError(`${where}.reason must say why the deviation is known`);
  if (e['link'] !== undefined && !text(e['link'], 2000)) throw new UsageError(`${where}.link must be a string`);
  return {
    rule: e['rule'], op: e['op'] as OpKind, release: e['release'], reason: e['reason'],
    ...(e['link'] !== undefined ? { link: e['link'] as string } : {}),
  };
};

export const parseBaseline = (json: string, file: string): Baseline => {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new UsageError(`${file}: not valid JSON (a baseline is ${EXPECT_SCHEMA} JSON, written by run --write-expect)`);
  }
  if (!isObj(v) || v['schema'] !== EXPECT_SCHEMA) throw new UsageError(`${file}: not a ${EXPECT_SCHEMA} baseline (its "schema" field must say so)`);
  const extra = Object.keys(v).find((k) => !['schema', 'profile', 'entries'].includes(k));
  if (extra !== undefined) throw new UsageError(`${file}: unknown top-level field (fields: schema, profile, entries)`);
  if (v['profile'] !== undefined && !text(v['profile'], 256)) throw new UsageError(`${file}: profile must be a profile name`);
  const entries = v['entries'];
  if (!Array.isArray(entries) || entries.length > MAX_ENTRIES) throw new UsageError(`${file}: entries must be a list of at most ${MAX_ENTRIES}`);
  return { schema: EXPECT_SCHEMA, ...(v['profile'] !== undefined ? { profile: v['profile'] as string } : {}), entries: entries.map((e, i) => checkEntry(e, i, file)) };
};

export const loadBaseline = (file: string): Baseline =>
  parseBaseline(readRegularFile(file, MAX_BYTES, `a baseline is ${EXPECT_SCHEMA} JSON`, (m) => new UsageError(`--expect ${m}`)), file);

/** `*` any text, `?` one character, everything else literal; the whole release must match. */
export const globMatch = (glob: string, s: string): boolean => {
  const re = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(s);
};

/** A release written as a glob that matches exactly it. */
export const literalGlob = (release: string): string => release.replace(/[*?]/g, '?');

export const entryMatches = (e: ExpectEntry, k: FailureKey, release: string): boolean =>
  e.rule === k.rule && e.op === k.kind && globMatch(e.release, release);

export const baselineJson = (b: Baseline): string => `${JSON.stringify(b, null, 2)}\n`;
