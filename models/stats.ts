/**
 * Counters one run accumulates: operations checked against the spec, how often each rule decided
 * a verdict (rule coverage), and ops skipped because the target cannot issue them.
 */
export class RunStats {
  opsChecked = 0;
  sequences = 0;
  readonly ruleHits = new Map<string, number>();
  readonly skipped = new Map<string, number>();

  hit(rules: readonly string[]): void {
    this.opsChecked++;
    for (const r of rules) this.ruleHits.set(r, (this.ruleHits.get(r) ?? 0) + 1);
  }

  merge(o: RunStats): void {
    this.opsChecked += o.opsChecked;
    this.sequences += o.sequences;
    for (const [r, n] of o.ruleHits) this.ruleHits.set(r, (this.ruleHits.get(r) ?? 0) + n);
    for (const [r, n] of o.skipped) this.skipped.set(r, (this.skipped.get(r) ?? 0) + n);
  }
}
