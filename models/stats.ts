/**
 * Counters one run accumulates: operations checked against the spec, how often each rule decided
 * a verdict (rule coverage), per rule and op kind (which expected deviations a run could have
 * seen), and ops skipped because the target cannot issue them.
 */
export class RunStats {
  opsChecked = 0;
  /** Generated sequences run by the search (and by the other callers: every one but the shrinker's). */
  sequences = 0;
  /** Sequences fast-check ran while shrinking a failure. */
  shrinkSequences = 0;
  /** Sequences ended without a verdict at an unjudged deviation (models/lockstep.ts). */
  cut = 0;
  readonly ruleHits = new Map<string, number>();
  /** `rule op-kind` → verdicts that rule decided on that kind of op. */
  readonly ruleKindHits = new Map<string, number>();
  readonly skipped = new Map<string, number>();

  hit(rules: readonly string[], kind?: string): void {
    this.opsChecked++;
    for (const r of rules) {
      this.ruleHits.set(r, (this.ruleHits.get(r) ?? 0) + 1);
      if (kind !== undefined) this.ruleKindHits.set(`${r} ${kind}`, (this.ruleKindHits.get(`${r} ${kind}`) ?? 0) + 1);
    }
  }

  merge(o: RunStats): void {
    this.opsChecked += o.opsChecked;
    this.sequences += o.sequences;
    this.shrinkSequences += o.shrinkSequences;
    this.cut += o.cut;
    for (const [r, n] of o.ruleHits) this.ruleHits.set(r, (this.ruleHits.get(r) ?? 0) + n);
    for (const [r, n] of o.ruleKindHits) this.ruleKindHits.set(r, (this.ruleKindHits.get(r) ?? 0) + n);
    for (const [r, n] of o.skipped) this.skipped.set(r, (this.skipped.get(r) ?? 0) + n);
  }
}
