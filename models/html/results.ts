/**
 * What the report draws for one column (a target under a profile): per domain whether its property
 * passed, failed (with the shrunk failure) or was skipped (with the reason), and how often each rule
 * decided a verdict. Columns are computed by ./run-column.ts or read from a results directory
 * (JSON through spec/vocab/codec.ts, so bigints and whole Failures survive the round trip).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from '../../spec/vocab/codec.js';
import { makeDirs } from '../report/atomic.js';
import type { Failure } from '../lockstep.js';
import { readRegularFile } from '../report/read-file.js';

export type DomainStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface DomainResult {
  readonly domain: string;
  readonly status: DomainStatus;
  /** Why it was skipped or broke; for a partial run, which op kinds the target could not issue. */
  readonly reason?: string;
  readonly sequences: number;
  readonly opsChecked: number;
  /** The first failure (shrunk) the property found. */
  readonly failure?: Failure;
  /** Every distinct failure it found (gmemcheck run keeps going after the first). */
  readonly failures?: readonly Failure[];
}

export interface ColumnResult {
  /** e.g. `emulator:linux-6.18` */
  readonly label: string;
  readonly target: string;
  readonly profile: string;
  readonly domains: readonly DomainResult[];
  readonly ruleHits: Readonly<Record<string, number>>;
  /** Op kinds the target cannot issue, with the reason. */
  readonly unsupported: Readonly<Record<string, string>>;
}

export const RESULT_SUFFIX = '.column.json';

export class BadResultsError extends Error {
  override name = 'BadResultsError';
}

const fileName = (c: ColumnResult): string => `${c.label.replace(/[^A-Za-z0-9._=-]+/g, '_')}${RESULT_SUFFIX}`;

/** Saves one column so `report --results DIR` can draw it later (for `run --results DIR`). */
export const saveColumnResult = (dir: string, c: ColumnResult): string => {
  makeDirs(dir);
  const path = join(dir, fileName(c));
  writeFileSync(path, stringify(c, 1));
  return path;
};

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const STATUSES: readonly string[] = ['pass', 'fail', 'skip', 'error'];

const failureProblem = (f: unknown): string | undefined => {
  if (!isObj(f) || !Array.isArray(f['steps']) || typeof f['index'] !== 'number' || !isObj(f['profile']) || !isObj(f['stateBefore'])) return 'a failure without steps, index, profile or state';
  const steps = f['steps'] as unknown[];
  if (!Number.isInteger(f['index']) || (f['index'] as number) < 0 || (f['index'] as number) >= steps.length) return 'a failure whose index is not one of its steps';
  const bad = steps.findIndex((st) => !isObj(st) || !isObj(st['op']) || !isObj(st['observed']) || !Array.isArray(st['allowed']) || !Array.isArray(st['rules']));
  return bad >= 0 ? `step ${bad + 1} of a failure is not a step record` : undefined;
};

/** What is wrong with a parsed column result, or undefined: the report reads every field it checks here. */
const columnProblem = (v: unknown): string | undefined => {
  if (!isObj(v) || typeof v['label'] !== 'string' || !Array.isArray(v['domains']) || !isObj(v['ruleHits'])) return 'no label, domains and rule hits';
  if (v['unsupported'] !== undefined && !isObj(v['unsupported'])) return 'unsupported is not an object';
  if (Object.values(v['ruleHits']).some((n) => typeof n !== 'number')) return 'a rule hit count is not a number';
  for (const [i, d] of (v['domains'] as unknown[]).entries()) {
    if (!isObj(d) || typeof d['domain'] !== 'string' || !STATUSES.includes(d['status'] as string) || typeof d['sequences'] !== 'number' || typeof d['opsChecked'] !== 'number') {
      return `domains[${i}] is not a domain result`;
    }
    for (const f of [...(d['failure'] !== undefined ? [d['failure']] : []), ...(Array.isArray(d['failures']) ? d['failures'] : [])]) {
      const why = failureProblem(f);
      if (why !== undefined) return `domains[${i}]: ${why}`;
    }
  }
  return undefined;
};

export const loadColumnResults = (dir: string): ColumnResult[] => {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(RESULT_SUFFIX)).sort();
  } catch (e) {
    throw new BadResultsError(`cannot read results directory '${dir}': ${(e as Error).message}`);
  }
  if (names.length === 0) throw new BadResultsError(`no *${RESULT_SUFFIX} files in '${dir}'`);
  return names.map((n) => {
    const file = join(dir, n);
    let v: unknown;
    try {
      v = parse(readRegularFile(file, 64 << 20, 'a column result is JSON', (m) => new BadResultsError(m)));
    } catch (e) {
      if (e instanceof BadResultsError) throw e;
      throw new BadResultsError(`${file} is not valid JSON`);
    }
    const why = columnProblem(v);
    if (why !== undefined) throw new BadResultsError(`${file} is not a gmemcheck column result: ${why}`);
    return v as ColumnResult;
  });
};

/** One property's outcome as `gmemcheck run` knows it, for `columnFromRun`. */
export interface RunDomain {
  readonly domain: string;
  readonly status: DomainStatus;
  readonly reason?: string;
  readonly sequences: number;
  readonly opsChecked: number;
  readonly ruleHits: ReadonlyMap<string, number>;
  /** The shrunk failure (ConformanceError.failure / onFailure(f, 'shrunk')). */
  readonly failure?: Failure;
}

/** Builds the column `report --results` draws from what `run` has at its end (one target, one profile). */
export const columnFromRun = (
  target: string, profile: string, domains: readonly RunDomain[], unsupported: Readonly<Partial<Record<string, string>>> = {},
): ColumnResult => {
  const ruleHits: Record<string, number> = {};
  for (const d of domains) for (const [id, n] of d.ruleHits) ruleHits[id] = (ruleHits[id] ?? 0) + n;
  return {
    label: `${target}:${profile}`, target, profile, ruleHits,
    unsupported: Object.fromEntries(Object.entries(unsupported).filter((e): e is [string, string] => e[1] !== undefined)),
    domains: domains.map(({ ruleHits: _hits, ...d }) => d),
  };
};
