/**
 * The run's verdicts on its distinct failures, given the known deviations (--expect): a failure a
 * baseline entry expects on this kernel is XFAIL and does not fail the run; any other is FAIL. An
 * entry that matches this kernel but did not occur is XPASS when the run judged its rule on that
 * kind of op at least once (the deviation may be gone: the baseline is rotting), and not reached
 * when no verdict of that rule on that op was decided (nothing was learnt). As in kselftest, XPASS
 * does not fail the run unless --strict-expect asks for it (ksft_finished() counts xpass as success).
 */
import type { Finding, Findings } from '../../models/findings.js';
import type { FailureKey } from '../../models/lockstep.js';
import { entryMatches, globMatch, type Baseline, type ExpectEntry } from './expect.js';

export interface Judged {
  readonly finding: Finding;
  readonly verdict: 'FAIL' | 'XFAIL';
  readonly entry?: ExpectEntry;
}

export type ExpectationStatus = 'XFAIL' | 'XPASS' | 'not reached' | 'not judged' | 'other release';

export interface Expectation {
  readonly entry: ExpectEntry;
  readonly status: ExpectationStatus;
  /** Verdicts the entry's rule decided on its op kind in this run. */
  readonly hits: number;
}

export interface Verdicts {
  readonly judged: readonly Judged[];
  readonly expectations: readonly Expectation[];
}

export const judge = (
  findings: Findings, baseline: Baseline | undefined, release: string,
  ruleKindHits: ReadonlyMap<string, number>, selected: (k: FailureKey) => boolean,
): Verdicts => {
  const entries = baseline?.entries ?? [];
  const judged = findings.all.map((finding): Judged => {
    const entry = entries.find((e) => entryMatches(e, finding.key, release));
    return entry ? { finding, verdict: 'XFAIL', entry } : { finding, verdict: 'FAIL' };
  });
  const expectations = entries.map((entry): Expectation => {
    const hits = ruleKindHits.get(`${entry.rule} ${entry.op}`) ?? 0;
    const status: ExpectationStatus = !globMatch(entry.release, release) ? 'other release'
      : judged.some((j) => j.entry === entry) ? 'XFAIL'
        : !selected({ rule: entry.rule, kind: entry.op }) ? 'not judged'
          : hits > 0 ? 'XPASS' : 'not reached';
    return { entry, status, hits };
  });
  return { judged, expectations };
};

export const failsRun = (v: Verdicts, strict: boolean): boolean =>
  v.judged.some((j) => j.verdict === 'FAIL') || (strict && v.expectations.some((e) => e.status === 'XPASS'));
