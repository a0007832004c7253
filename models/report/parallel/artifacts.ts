/**
 * Failure artifacts of the parallel property: one folder per failure with report.md, trace.json
 * and repro.c, the first failing case at once and the shrunk one in `shrunk/`, written atomically
 * (../atomic.ts) as the sequential ones are (../artifacts.ts). A prefix that fails sequentially is
 * an ordinary sequential failure and gets ordinary artifacts.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ProbeResult } from '../../../spec/vocab/target.js';
import type { ReplayContext } from '../../target-setup.js';
import type { CaseFailure } from '../../parallel/failure.js';
import { FailureArtifacts } from '../artifacts.js';
import { writeFolderAtomic } from '../atomic.js';
import { parallelReportMarkdown } from './report-md.js';
import { parallelRepro } from './repro.js';
import { parallelToken } from './token.js';
import { buildParallelTrace, parallelTraceJson } from './trace.js';

export interface ParallelArtifactOptions {
  readonly resultsDir: string;
  readonly probe: ProbeResult;
  /** Bugs and --target: what the token and the replay lines need. */
  readonly replay: ReplayContext;
  readonly now?: () => Date;
}

export interface WrittenParallel {
  readonly dir: string;
  readonly token: string;
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export class ParallelArtifacts {
  private folder: string | undefined;
  private readonly sequential: FailureArtifacts;

  constructor(private readonly o: ParallelArtifactOptions) {
    this.sequential = new FailureArtifacts(o);
  }

  get dir(): string | undefined {
    return this.folder ?? this.sequential.dir;
  }

  write(f: CaseFailure, phase: 'first' | 'shrunk', extra: { targetSeed?: number } = {}): WrittenParallel {
    if (f.kind === 'sequential') {
      const w = this.sequential.write(f.failure, phase, extra);
      return { dir: w.dir, token: w.token };
    }
    const p = f.failure;
    const trace = buildParallelTrace(p, { phase, probe: this.o.probe, bugs: this.o.replay.bugs, targetSeed: p.targetSeed });
    const token = parallelToken({
      profile: p.profile.name, case: p.case, ...(p.schedule !== undefined ? { schedule: p.schedule } : {}), targetSeed: p.targetSeed, bugs: this.o.replay.bugs,
    });
    if (this.folder === undefined) {
      const id = createHash('sha1').update(token).digest('hex').slice(0, 8);
      this.folder = path.join(this.o.resultsDir, `${stamp((this.o.now ?? (() => new Date()))())}-parallel-${id}`);
    }
    const dir = phase === 'shrunk' ? path.join(this.folder, 'shrunk') : this.folder;
    const tracePath = path.join(dir, 'trace.json');
    const reproPath = path.join(dir, 'repro.c');
    writeFolderAtomic(dir, {
      'report.md': parallelReportMarkdown(trace, { token, tracePath, reproPath, target: this.o.replay.target }),
      'trace.json': parallelTraceJson(trace),
      'repro.c': parallelRepro(trace),
    });
    return { dir, token };
  }
}
