/** The short text a parallel failure shows in a run's output and in vitest (the full report is report.md). */
import { formatOp, formatOutcome } from '../../../spec/vocab/render-text.js';
import { conformanceReport } from '../message.js';
import { ConformanceError } from '../../property.js';
import type { ParallelConformanceError } from '../../parallel/property.js';
import { RunStats } from '../../stats.js';

export const formatParallelFailure = (e: ParallelConformanceError): string => {
  const f = e.failure;
  if (f.kind === 'sequential') return conformanceReport(new ConformanceError(f.failure, e.seed, e.path, new RunStats()));
  const p = f.failure;
  const lines = [
    `no interleaving explains what ${p.branches.length} concurrent branches observed (seed ${e.seed}${e.path ? `, path "${e.path}"` : ''}${p.undecided ? '; UNDECIDED: search budget exhausted' : ''})`,
    `  prefix: ${p.case.prefix.map(formatOp).join('; ')}`,
    ...p.branches.map((b, k) => `  branch ${k + 1}: ${b.map((s) => `${formatOp(s.op)} → ${formatOutcome(s.observed)}`).join(' ; ')}`),
    ...p.lin.blocked.filter((b) => b.after === undefined).map((b) =>
      `  branch ${b.branch + 1} op ${b.index + 1}${b.point && b.point !== 'access' ? ` (${b.point})` : ''}: got ${b.observed ? formatOutcome(b.observed) : '-'}, allowed ${(b.allowed ?? []).map(formatOutcome).join(' | ') || 'nothing'} [${[...new Set(b.rules ?? [])].join(', ')}]`),
  ];
  return lines.join('\n');
};
