/**
 * Failure artifacts on disk: one folder per failure, `<timestamp>-<rule>-<shortid>/`, holding
 * report.md, trace.json and repro.c. The first failing case is written the moment it is found
 * (so a run killed during shrinking still leaves it), and the shrunk one goes to `shrunk/` in the
 * same folder when shrinking ends. Each folder appears atomically (see ./atomic.ts).
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ProbeResult } from '../../spec/vocab/target.js';
import type { ReplayContext } from '../target-setup.js';
import type { Failure } from '../lockstep.js';
import { writeFolderAtomic } from './atomic.js';
import { reportMarkdown } from './report-md.js';
import { reproFromTrace } from './repro/from-trace.js';
import { replayToken } from './token.js';
import { buildTrace, traceJson } from './trace.js';

export interface ArtifactOptions {
  readonly resultsDir: string;
  readonly probe: ProbeResult;
  /** Bugs, emulator profile and --target: what the token and the replay line need. */
  readonly replay: ReplayContext;
  /** Clock for folder names (tests pin it). */
  readonly now?: () => Date;
}

export interface WrittenArtifacts {
  readonly dir: string;
  readonly token: string;
  readonly trace: string;
  readonly report: string;
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export interface ArtifactExtra {
  readonly targetSeed?: number;
  readonly fastCheck?: { readonly seed?: number; readonly path?: string };
}

export interface RenderedArtifacts extends WrittenArtifacts {
  readonly files: Readonly<Record<string, string>>;
}

/** One instance per failure: it remembers the folder of its first case (the shrunk one goes to `shrunk/` in it). */
export class FailureArtifacts {
  private folder: string | undefined;

  constructor(private readonly o: ArtifactOptions) {}

  get dir(): string | undefined {
    return this.folder;
  }

  /** The folder's files (report.md, trace.json, repro.c) and the token, without writing anything. */
  render(f: Failure, phase: 'first' | 'shrunk', extra: ArtifactExtra = {}): RenderedArtifacts {
    const { bugs, emulatorProfile, target } = this.o.replay;
    const trace = buildTrace(f, {
      phase, probe: this.o.probe, bugs, ...(emulatorProfile !== undefined ? { emulatorProfile } : {}),
      ...(extra.targetSeed !== undefined ? { targetSeed: extra.targetSeed } : {}),
      ...(extra.fastCheck ? { fastCheck: extra.fastCheck } : {}),
    });
    const token = replayToken(f, { ...(extra.targetSeed !== undefined ? { targetSeed: extra.targetSeed } : {}), bugs, ...(emulatorProfile !== undefined ? { emulatorProfile } : {}) });
    if (this.folder === undefined) {
      const id = createHash('sha1').update(token).digest('hex').slice(0, 8);
      const rule = safe(f.steps[f.index]?.rules[0] ?? 'unknown');
      this.folder = path.join(this.o.resultsDir, `${stamp((this.o.now ?? (() => new Date()))())}-${rule}-${id}`);
    }
    const dir = phase === 'shrunk' ? path.join(this.folder, 'shrunk') : this.folder;
    const tracePath = path.join(dir, 'trace.json');
    return {
      dir, token, trace: tracePath, report: path.join(dir, 'report.md'),
      files: {
        'report.md': reportMarkdown(trace, { token, target, tracePath, reproPath: path.join(dir, 'repro.c') }),
        'trace.json': traceJson(trace),
        'repro.c': reproFromTrace(trace),
      },
    };
  }

  write(f: Failure, phase: 'first' | 'shrunk', extra: ArtifactExtra = {}): WrittenArtifacts {
    const r = this.render(f, phase, extra);
    writeFolderAtomic(r.dir, r.files);
    return { dir: r.dir, token: r.token, trace: r.trace, report: r.report };
  }
}
