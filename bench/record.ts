/**
 * Where `npm run bench` and `npm run mutants` write. Always a file under the results directory
 * (default gmemcheck-results/, `--results DIR`), named with the time; the checked-in record at the
 * repository root (BENCHMARKS.md, MUTANTS.md) changes only with `--record`, so running a benchmark
 * never leaves a modified tracked file behind by accident.
 */
import * as path from 'node:path';
import { makeDirs, writeFileAtomic } from '../models/report/atomic.js';

export interface RecordArgs {
  readonly record: boolean;
  readonly resultsDir: string;
  /** The arguments left once --record and --results DIR are taken out. */
  readonly rest: readonly string[];
}

export const recordArgs = (argv: readonly string[]): RecordArgs | { readonly error: string } => {
  const rest: string[] = [];
  let record = false;
  let resultsDir = 'gmemcheck-results';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--record') record = true;
    else if (a === '--results') {
      const v = argv[++i];
      if (v === undefined || v === '') return { error: '--results needs a directory' };
      resultsDir = v;
    } else rest.push(a);
  }
  return { record, resultsDir, rest };
};

/** Writes `text` under the results directory, and to `record` (a tracked file at the root) when asked; returns what was written. */
export const writeOutput = (record: string, text: string, a: RecordArgs, now = new Date()): string[] => {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const out = path.join(a.resultsDir, `${path.basename(record, '.md')}-${stamp}.md`);
  makeDirs(a.resultsDir);
  writeFileAtomic(out, text);
  const written = [out];
  if (a.record) {
    writeFileAtomic(record, text);
    written.push(record);
  }
  return written;
};
