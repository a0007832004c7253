/**
 * The run as one report column (models/html/results.ts), saved under the results directory so
 * `gmemcheck report --results DIR` can draw what `gmemcheck run --results DIR` found.
 */
import { saveColumnResult, type DomainResult as ColumnDomain } from '../../models/html/results.js';
import type { TargetSetup } from '../../models/target-setup.js';
import type { DomainResult } from './result.js';

export const columnLabel = (s: TargetSetup): string =>
  `${s.kind === 'remote' ? s.replay.target : s.kind}${s.replay.emulatorProfile !== undefined ? `(${s.replay.emulatorProfile})` : ''}:${s.profile.name}` +
  `${s.replay.bugs.length ? ` [bugs ${s.replay.bugs.join(',')}]` : ''}`;

export const saveRunColumn = (dir: string, s: TargetSetup, results: readonly DomainResult[]): { ok: true; path: string } | { ok: false; reason: string } => {
  const ruleHits: Record<string, number> = {};
  for (const r of results) for (const [id, n] of r.ruleHits) ruleHits[id] = (ruleHits[id] ?? 0) + n;
  const domains = results.map((r): ColumnDomain => {
    const failures = r.found.map((f) => f.failure);
    return {
      domain: r.property.domain,
      status: r.status === 'ran' ? (failures.length || r.unexplained ? 'fail' : 'pass') : r.status,
      ...(r.detail !== undefined ? { reason: r.detail } : r.unexplained ? { reason: `concurrent outcomes no interleaving explains${r.unexplained.artifacts ? ` (${r.unexplained.artifacts})` : ''}` } : {}),
      sequences: r.sequences, opsChecked: r.opsChecked,
      ...(failures.length ? { failure: failures[0]!, failures } : {}),
    };
  });
  try {
    const path = saveColumnResult(dir, {
      label: columnLabel(s), target: s.kind, profile: s.profile.name, domains, ruleHits,
      unsupported: Object.fromEntries(Object.entries(s.unsupported).filter((e): e is [string, string] => e[1] !== undefined)),
    });
    return { ok: true, path };
  } catch (e) {
    return { ok: false, reason: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
};
