/**
 * Writes each finding's artifacts (models/report/artifacts.ts) under the results directory. The
 * directory was proven writable before the run; if writing fails later (disk full, the directory
 * removed), the failure is not lost: its whole report.md goes to stderr, the run still fails with
 * exit 1, and the summary says where the report went instead of naming a folder that is not there.
 */
import { FailureArtifacts } from '../../models/report/artifacts.js';
import type { Finding } from '../../models/findings.js';
import type { TargetSetup } from '../../models/target-setup.js';
import type { Io } from '../io.js';

export class FindingWriter {
  private readonly folders = new Map<Finding, FailureArtifacts>();
  /** Findings whose artifacts could not be written, with the reason. */
  readonly lost = new Map<Finding, string>();

  constructor(private readonly resultsDir: string, private readonly io: Io) {}

  /** The folder written, or undefined when it could not be (the report then went to stderr). */
  write(f: Finding, phase: 'first' | 'shrunk', s: TargetSetup): string | undefined {
    let a = this.folders.get(f);
    if (a === undefined) {
      a = new FailureArtifacts({ resultsDir: this.resultsDir, probe: s.probe, replay: s.replay });
      this.folders.set(f, a);
    }
    const extra = { targetSeed: f.at.targetSeed, fastCheck: { seed: f.at.seed, ...(f.at.path !== undefined ? { path: f.at.path } : {}) } };
    try {
      const w = a.write(f.failure, phase, extra);
      f.artifacts = w.report;
      this.lost.delete(f);
      return w.dir;
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e));
      const r = a.render(f.failure, phase, extra);
      delete f.artifacts;
      this.lost.set(f, why);
      this.io.err(`gmemcheck: cannot write the ${phase === 'first' ? 'first' : 'shrunk'} case of ${f.key.rule} on ${f.key.kind} to ${r.dir} (${why}); its report follows here`);
      this.io.err(r.files['report.md']!);
      return undefined;
    }
  }
}
