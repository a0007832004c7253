/**
 * Prints, after `npm test`, how many operations were checked against the spec per project, how many
 * rule ids decided at least one verdict, and every skip with its reason, grouped by reason (a kernel
 * without guest_memfd skips every native domain for one reason; it is said once, then the tests).
 * The numbers come from the `gmemcheck` meta that properties attach to their test
 * (properties/_support/run.ts).
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import '../task-meta.js';

interface Totals { ops: number; sequences: number; rules: Set<string> }

export default class SummaryReporter implements Reporter {
  private readonly totals = new Map<string, Totals>();
  /** reason → the skipped tests, "[project] full name". */
  private readonly skips = new Map<string, string[]>();

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
    if (r.state !== 'skipped') return;
    // A describe.skip carries its reason in the suite name ("[skipped: why]"), an it.skipIf at the
    // end of its own name ("(skipped: why)"), a ctx.skip(why) in the note.
    const why = r.note ?? /\[skipped: (.*)\]/.exec(testCase.fullName)?.[1] ?? /\(skipped: (.*)\)$/.exec(testCase.fullName)?.[1] ??
      'skipped without a reason';
    const name = testCase.fullName.replace(` [skipped: ${why}]`, '').replace(` (skipped: ${why})`, '');
    this.skips.set(why, [...(this.skips.get(why) ?? []), `[${project}] ${name}`]);
  }

  onTestRunEnd(_modules: ReadonlyArray<TestModule>): void {
    const lines = ['', 'gmemcheck summary'];
    let all = 0;
    for (const [p, t] of this.totals) {
      all += t.ops;
      lines.push(`  ${p}: ${t.ops} spec-checked operations in ${t.sequences} sequences; ${t.rules.size} rule ids decided verdicts`);
    }
    lines.push(`  total: ${all} spec-checked operations`);
    const skipped = [...this.skips.values()].reduce((n, l) => n + l.length, 0);
    if (skipped) lines.push(`  skipped (${skipped}):`);
    for (const [why, tests] of this.skips) lines.push(`    ${tests.length} × ${why}`, ...tests.map((t) => `        ${t}`));
    // vitest's own exit code stays its own (a project may legitimately skip here), but a run that
    // checked nothing against the spec says so, never reads like a pass.
    if (all === 0 && [...this.skips.values()].flat().some((t) => /^\[(native|emulator)\]/.test(t))) lines.push('  NOTHING TESTED against the spec in this run: every conformance property was skipped');
    console.log(lines.join('\n'));
  }
}
