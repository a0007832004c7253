/**
 * Runs one domain property on a set-up target: the skip decision (op kinds the target cannot
 * issue), the search that keeps going after a failure (models/explore.ts) within the runs or the
 * time budget, progress, and each failure's artifacts, written as soon as its first case is found
 * and again when shrinking ends. A failure whose artifacts cannot be written is not lost: its
 * whole report goes to stderr (artifacts.ts `ArtifactsLost`).
 */
import type { TargetSetup } from '../../models/target-setup.js';
import { explore, type StopReason } from '../../models/explore.js';
import type { Finding, Findings } from '../../models/findings.js';
import type { FailureKey } from '../../models/lockstep.js';
import { RunStats } from '../../models/stats.js';
import type { Io } from '../io.js';
import type { DomainProperty } from '../domains.js';
import { countingFactory } from './counting-target.js';
import { makeProgress } from './progress.js';
import type { DomainResult } from './result.js';
import { FindingWriter } from './artifacts.js';

export interface DomainRunOptions {
  readonly runs?: number;
  readonly timeMs?: number;
  readonly seed: number;
  readonly findings: Findings;
  readonly writer: FindingWriter;
  readonly selected?: (k: FailureKey) => boolean;
  readonly maxFailures?: number;
  readonly io: Io;
  /** Where plain (non-TTY) lines go: stdout in text mode, `# ` diagnostics in KTAP mode. */
  readonly note: (line: string) => void;
  readonly tty: boolean;
  readonly signal?: AbortSignal;
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

/** Why the property cannot run on this target, or undefined when it can. */
export const skipReason = (p: DomainProperty, s: TargetSetup): string | undefined => {
  const missing = p.requires.filter((k) => s.unsupported[k] !== undefined);
  const usable = Object.keys(p.mix).filter((k) => !s.excluded.has(k as never));
  if (missing.length === 0 && usable.length > 0) return undefined;
  if (missing.length === 0) return 'the target supports none of this domain\'s op kinds';
  // Group kinds by reason so one cause is stated once ("guestAccess, guestMapLevel: ...").
  const byReason = new Map<string, string[]>();
  for (const k of missing) byReason.set(s.unsupported[k]!, [...(byReason.get(s.unsupported[k]!) ?? []), k]);
  return [...byReason].map(([reason, kinds]) => `${kinds.join(', ')}: ${reason}`).join('; ');
};

export const runDomainProperty = async (p: DomainProperty, s: TargetSetup, o: DomainRunOptions): Promise<DomainResult> => {
  const started = Date.now();
  const base = { property: p, profile: s.profile.name, seed: o.seed };
  const why = skipReason(p, s);
  if (why !== undefined) {
    return { ...base, status: 'skip', detail: why, found: [], sequences: 0, shrinkSequences: 0, opsChecked: 0, cut: 0, ruleHits: new Map(), ruleKindHits: new Map(), ms: 0 };
  }
  const stats = new RunStats();
  const found: Finding[] = [];
  const progress = makeProgress({ ...o.io, tty: o.tty }, `[${p.domain}]`, o.runs ?? (o.timeMs ? undefined : p.numRuns), o.note);
  const makeTarget = countingFactory(s.makeTarget, {
    created: () => progress.sequence(),
    applied: () => progress.op(),
  });
  const onFailure = (f: Finding, phase: 'first' | 'shrunk'): void => {
    if (phase === 'first') found.push(f);
    const w = o.writer.write(f, phase, s);
    if (phase === 'first') {
      progress.shrinking(f.key);
      holdAfterFirst();
    } else progress.searching();
    if (o.tty) o.io.status('');
    if (w !== undefined) o.note(`${p.domain}: ${phase === 'first' ? 'new failure' : 'shrunk'} ${f.key.rule} on ${f.key.kind}: ${w}`);
  };
  const finish = (status: DomainResult['status'], stopped?: StopReason, detail?: string): DomainResult => {
    progress.done();
    return {
      ...base, status, found, ...(detail !== undefined ? { detail } : {}), ...(stopped !== undefined ? { stopped } : {}),
      sequences: stats.sequences, shrinkSequences: stats.shrinkSequences, opsChecked: stats.opsChecked, cut: stats.cut,
      ruleHits: stats.ruleHits, ruleKindHits: stats.ruleKindHits, ms: Date.now() - started,
    };
  };
  try {
    const stopped = await explore({
      domain: p.domain, findings: o.findings, profile: s.profile, makeTarget, mix: p.mix, maxLength: p.maxLength, limits: s.limits,
      excluded: s.excluded, onFailure,
      ...(o.selected ? { selected: o.selected } : {}), ...(o.maxFailures !== undefined ? { maxFailures: o.maxFailures } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    }, o.timeMs === undefined ? { seed: o.seed, numRuns: o.runs ?? p.numRuns } : { seed: o.seed, deadline: started + o.timeMs }, stats);
    // A property that checked no op tested nothing: that is a skip with its reason, never a pass.
    if (stats.opsChecked === 0 && found.length === 0) {
      return finish('skip', stopped, stopped === 'interrupted' ? 'interrupted before any op ran' : 'nothing tested: no op was checked against the spec');
    }
    return finish('ran', stopped);
  } catch (e) {
    return finish('error', undefined, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  }
};
