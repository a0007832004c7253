/**
 * Runs one domain property on a set-up target: the skip decision (op kinds the target cannot
 * issue), the runs or the time budget, progress, and failure artifacts written from onFailure as
 * soon as the first case fails and again when shrinking ends.
 */
import type { TargetSetup } from '../../models/target-setup.js';
import { checkConformance, ConformanceError } from '../../models/property.js';
import { RunStats } from '../../models/stats.js';
import { FailureArtifacts } from '../../models/report/artifacts.js';
import { conformanceReport } from '../../models/report/message.js';
import type { Io } from '../io.js';
import type { DomainProperty } from '../domains.js';
import { countingFactory } from './counting-target.js';
import { makeProgress } from './progress.js';
import type { DomainResult } from './result.js';

export interface DomainRunOptions {
  readonly runs?: number;
  readonly timeMs?: number;
  readonly seed: number;
  readonly resultsDir: string;
  readonly bugs: readonly string[];
  readonly io: Io;
  /** Where plain (non-TTY) lines go: stdout in text mode, `# ` diagnostics in KTAP mode. */
  readonly note: (line: string) => void;
  readonly tty: boolean;
}

/**
 * GMEMCHECK_HOLD_AFTER_FIRST_MS=N blocks for N ms right after the first failing case is on disk,
 * as a long shrink would. Only for crash-safety tests (test/unit/cli/sigkill.test.ts), which must
 * be sure their SIGKILL lands while shrinking is still going on.
 */
const holdAfterFirst = (): void => {
  const ms = Number(process.env['GMEMCHECK_HOLD_AFTER_FIRST_MS'] ?? '0');
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Time-budgeted runs go in batches this size, each with its own seed, until the budget is spent. */
const BATCH = 25;

export const runDomainProperty = async (p: DomainProperty, s: TargetSetup, o: DomainRunOptions): Promise<DomainResult> => {
  const started = Date.now();
  const base = { property: p, profile: s.profile.name, seed: o.seed };
  const missing = p.requires.filter((k) => s.unsupported[k] !== undefined);
  const usable = Object.keys(p.mix).filter((k) => !s.excluded.has(k as never));
  if (missing.length > 0 || usable.length === 0) {
    // Group kinds by reason so one cause is stated once ("guestAccess, guestMapLevel: ...").
    const byReason = new Map<string, string[]>();
    for (const k of missing) byReason.set(s.unsupported[k]!, [...(byReason.get(s.unsupported[k]!) ?? []), k]);
    const why = missing.length ? [...byReason].map(([reason, kinds]) => `${kinds.join(', ')}: ${reason}`).join('; ') : 'the target supports none of this domain\'s op kinds';
    return { ...base, status: 'skip', detail: why, sequences: 0, opsChecked: 0, ruleHits: new Map(), ms: 0 };
  }
  const stats = new RunStats();
  const artifacts = new FailureArtifacts({ resultsDir: o.resultsDir, probe: s.probe, bugs: o.bugs });
  const progress = makeProgress({ ...o.io, tty: o.tty }, `[${p.domain}]`, o.runs ?? (o.timeMs ? undefined : p.numRuns), o.note);
  // Own counts too: an infrastructure error ends checkConformance without stats.
  const counted = { sequences: 0, ops: 0 };
  let lastSeed: number | undefined;
  let failingSeed: number | undefined;
  const makeTarget = countingFactory(s.makeTarget, {
    created: (seed) => { lastSeed = seed; counted.sequences++; progress.sequence(); },
    applied: () => { counted.ops++; progress.op(); },
  });
  const options = {
    profile: s.profile, makeTarget, mix: p.mix, maxLength: p.maxLength, limits: s.limits, excluded: s.excluded,
    onFailure: (f: Parameters<NonNullable<Parameters<typeof checkConformance>[0]['onFailure']>>[0], phase: 'first' | 'shrunk') => {
      // The seed is fc.noShrink: the shrunk case keeps the first case's target seed.
      if (phase === 'first') failingSeed = lastSeed;
      const w = artifacts.write(f, phase, failingSeed !== undefined ? { targetSeed: failingSeed } : {});
      if (phase === 'first') {
        progress.shrinking();
        holdAfterFirst();
      }
      if (o.tty) o.io.status('');
      o.note(`${p.domain}: ${phase === 'first' ? 'first failing case' : 'shrunk case'} written to ${w.dir}`);
    },
  };
  const finish = (status: DomainResult['status'], detail?: string): DomainResult => {
    progress.done();
    return {
      ...base, status, ...(detail !== undefined ? { detail } : {}), ...(artifacts.dir ? { artifacts: artifacts.dir } : {}),
      sequences: status === 'error' ? counted.sequences : stats.sequences,
      opsChecked: status === 'error' ? counted.ops : stats.opsChecked,
      ruleHits: stats.ruleHits, ms: Date.now() - started,
    };
  };
  try {
    if (o.timeMs === undefined) {
      stats.merge(await checkConformance(options, { numRuns: o.runs ?? p.numRuns, seed: o.seed }));
    } else {
      const deadline = started + o.timeMs;
      for (let b = 0; b === 0 || Date.now() < deadline; b++) {
        stats.merge(await checkConformance(options, { numRuns: BATCH, seed: (o.seed + b * 104729) | 0 }));
      }
    }
    // A property that checked no op tested nothing: that is a skip with its reason, never a pass.
    return stats.opsChecked === 0 ? finish('skip', 'nothing tested: no op was checked against the spec') : finish('pass');
  } catch (e) {
    if (e instanceof ConformanceError) {
      stats.merge(e.stats);
      return finish('fail', conformanceReport(e));
    }
    return finish('error', e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
};
