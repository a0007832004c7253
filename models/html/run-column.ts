/**
 * Computes one report column: every rule domain's property against one target setup, with modest
 * run counts, through the same pipeline as `gmemcheck run` (checkConformance: shrunk by fast-check
 * and the minimiser). A conformance failure is a cell, not an error; the column keeps the rule
 * hits of failing domains too (the matrix shows them).
 */
import type { PropertyDomain } from '../../spec/vocab/index.js';
import { MIXES, drawableKinds } from '../generate/mixes.js';
import { DOMAIN_PROPERTIES } from '../generate/domain-properties.js';
import { checkConformance, ConformanceError } from '../property.js';
import { RunStats } from '../stats.js';
import type { TargetSetup } from '../target-setup.js';
import type { ColumnResult, DomainResult } from './results.js';

export interface ColumnRun {
  readonly domains: readonly PropertyDomain[];
  readonly numRuns: number;
  readonly maxLength: number;
  readonly seed: number;
}

/** Op kinds of a domain's mix the target cannot issue: the property runs without them. */
const missingKinds = (s: TargetSetup, domain: PropertyDomain): string[] =>
  Object.keys(MIXES[domain]).filter((k) => s.excluded.has(k as never)).map((k) => `${k}: ${s.unsupported[k as keyof typeof s.unsupported]}`);

export const runDomainCell = async (s: TargetSetup, domain: PropertyDomain, run: ColumnRun, stats: RunStats): Promise<DomainResult> => {
  const missing = missingKinds(s, domain);
  // Skipped as `gmemcheck run` skips it: a kind the property cannot do without is unsupported
  // (the guest property on a host whose guest never reaches guest_memfd), or nothing of its mix is left.
  const required = (DOMAIN_PROPERTIES.find((p) => p.domain === domain)?.requires ?? []).filter((k) => s.unsupported[k] !== undefined);
  if (required.length > 0 || drawableKinds(MIXES[domain], s.excluded).length === 0) {
    return { domain, status: 'skip', sequences: 0, opsChecked: 0, reason: (required.length ? required.map((k) => `${k}: ${s.unsupported[k]}`) : missing).join('; ') };
  }
  const partial = missing.length ? { reason: `not generated: ${missing.join('; ')}` } : {};
  const mine = new RunStats();
  const base = () => ({ domain, sequences: mine.sequences, opsChecked: mine.opsChecked });
  try {
    await checkConformance(
      { profile: s.profile, makeTarget: s.makeTarget, limits: s.limits, mix: MIXES[domain], maxLength: run.maxLength, excluded: s.excluded },
      { numRuns: run.numRuns, seed: run.seed },
      mine,
    );
    return { ...base(), status: 'pass', ...partial };
  } catch (e) {
    if (e instanceof ConformanceError) return { ...base(), status: 'fail', failure: e.failure, ...partial };
    return { ...base(), status: 'error', reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  } finally {
    stats.merge(mine);
  }
};

export const runColumn = async (label: string, s: TargetSetup, run: ColumnRun): Promise<ColumnResult> => {
  const stats = new RunStats();
  const domains: DomainResult[] = [];
  for (const d of run.domains) domains.push(await runDomainCell(s, d, run, stats));
  return {
    label, target: s.kind, profile: s.profile.name, domains,
    ruleHits: Object.fromEntries(stats.ruleHits),
    unsupported: Object.fromEntries(Object.entries(s.unsupported).filter(([, v]) => v !== undefined)) as Record<string, string>,
  };
};
