/**
 * Computes one report column: every rule domain's property against one target setup, with modest
 * run counts. Unlike checkConformance it keeps the rule hits of a failing domain too (the matrix
 * shows them), and it never throws for a conformance failure: that is a cell, not an error.
 */
import fc from 'fast-check';
import type { Failure } from '../lockstep.js';
import { lockstep } from '../lockstep.js';
import { MIXES, type Domain } from '../generate/mixes.js';
import { sequenceArb } from '../generate/sequence.js';
import { resolveTemplates } from '../property.js';
import { SPEC } from '../spec-api.js';
import { RunStats } from '../stats.js';
import type { TargetSetup } from '../target-setup.js';
import type { ColumnResult, DomainResult } from './results.js';

export interface ColumnRun {
  readonly domains: readonly Domain[];
  readonly numRuns: number;
  readonly maxLength: number;
  readonly seed: number;
}

/** Carries a failing lockstep out of the property so fast-check shrinks it. */
class StepOutsideAllowed extends Error {
  override name = 'StepOutsideAllowed';
  constructor(readonly failure: Failure) {
    super(`step ${failure.index + 1} outside the allowed set`);
  }
}

const domainProperty = (s: TargetSetup, domain: Domain, maxLength: number, stats: RunStats) =>
  fc.asyncProperty(
    sequenceArb({ mix: MIXES[domain], maxLength, excluded: s.excluded }),
    fc.noShrink(fc.integer()),
    async (templates, seed) => {
      const ops = resolveTemplates(templates, s.limits, s.profile);
      const target = await s.makeTarget(seed);
      try {
        stats.sequences++;
        const r = await lockstep(SPEC, s.profile, target, ops, stats);
        if (r.failure) throw new StepOutsideAllowed(r.failure);
      } finally {
        await target.close();
      }
    },
  );

/** Op kinds of a domain's mix the target cannot issue: the property runs without them. */
const missingKinds = (s: TargetSetup, domain: Domain): string[] =>
  Object.keys(MIXES[domain]).filter((k) => s.excluded.has(k as never)).map((k) => `${k}: ${s.unsupported[k as keyof typeof s.unsupported]}`);

export const runDomainCell = async (s: TargetSetup, domain: Domain, run: ColumnRun, stats: RunStats): Promise<DomainResult> => {
  const missing = missingKinds(s, domain);
  const partial = missing.length ? { reason: `not generated: ${missing.join('; ')}` } : {};
  const mine = new RunStats();
  try {
    const details = await fc.check(domainProperty(s, domain, run.maxLength, mine), { numRuns: run.numRuns, seed: run.seed, endOnFailure: false });
    const base = { domain, sequences: mine.sequences, opsChecked: mine.opsChecked };
    if (!details.failed) return { ...base, status: 'pass', ...partial };
    const e = details.errorInstance;
    if (e instanceof StepOutsideAllowed) return { ...base, status: 'fail', failure: e.failure, ...partial };
    return { ...base, status: 'error', reason: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  } catch (e) {
    // The mix is empty once unsupported kinds are left out: nothing to run on this target.
    return { domain, status: 'skip', sequences: 0, opsChecked: 0, reason: missing.length ? missing.join('; ') : (e as Error).message };
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
