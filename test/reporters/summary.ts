/**
 * Prints, after `npm test`, how many operations were checked against the spec per project, how many
 * rule ids decided at least one verdict, and every skip with its reason. The numbers come from the
 * `gmemcheck` meta that properties attach to their test (properties/_support/run.ts).
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import '../task-meta.js';

interface Totals { ops: number; sequences: number; rules: Set<string> }

export default class SummaryReporter implements Reporter {
  private readonly totals = new Map<string, Totals>();
  private readonly skips: string[] = [];

  onTestCaseResult(testCase: TestCase): void {
    const project = testCase.project.name || 'default';
    const meta = testCase.meta().gmemcheck;
    if (meta) {
      const t = this.totals.get(project) ?? { ops: 0, sequences: 0, rules: new Set<string>() };
      t.ops += meta.opsChecked;
      t.sequences += meta.sequences;
      for (const r of meta.rules) t.rules.add(r);
      this.totals.set(project, t);
    }
    const r = testCase.result();
    if (r.state === 'skipped') this.skips.push(`[${project}] ${testCase.fullName}: ${r.note ?? 'skipped'}`);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    const lines = ['', 'gmemcheck summary'];
    let all = 0;
    for (const [p, t] of this.totals) {
      all += t.ops;
      lines.push(`  ${p}: ${t.ops} spec-checked operations in ${t.sequences} sequences; ${t.rules.size} rule ids decided verdicts`);
    }
    lines.push(`  total: ${all} spec-checked operations`);
    if (this.skips.length) lines.push(`  skipped (${this.skips.length}):`, ...this.skips.map((s) => `    ${s}`));
    console.log(lines.join('\n'));
  }
}
