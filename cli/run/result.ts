/** What one property (a domain under one profile) came to, for the summary, the KTAP output and the saved column. */
import type { DomainProperty } from '../domains.js';
import type { Finding } from '../../models/findings.js';
import type { StopReason } from '../../models/explore.js';

/** ran: the property ran (its failures are findings); skip: it could not run here; error: the harness broke. */
export type DomainStatus = 'ran' | 'skip' | 'error';

/**
 * A part of a domain that runs or skips on its own: the parallel domain's backing files (a kernel
 * without guest_memfd races memfd only, and its guest_memfd part is a skip with the reason, never
 * hidden inside a pass). `detail` is what ran (e.g. "197 cases") or why it was skipped.
 */
export interface DomainPart {
  readonly name: string;
  readonly status: 'ran' | 'skip';
  readonly detail: string;
}

export interface DomainResult {
  readonly property: DomainProperty;
  readonly profile: string;
  readonly status: DomainStatus;
  /** Skip reason or infrastructure error. */
  readonly detail?: string;
  /** Failures first found by this property (others it saw again are counted on theirs). */
  readonly found: readonly Finding[];
  readonly seed: number;
  readonly sequences: number;
  /** Sequences run while shrinking its failures. */
  readonly shrinkSequences: number;
  readonly opsChecked: number;
  /** Sequences ended without a verdict at a suppressed or unjudged deviation. */
  readonly cut: number;
  readonly ruleHits: ReadonlyMap<string, number>;
  readonly ruleKindHits: ReadonlyMap<string, number>;
  readonly ms: number;
  readonly stopped?: StopReason;
  /**
   * The parallel domain's failure: concurrent outcomes no interleaving explains. It is no Finding
   * (no single step and rule excluded it; models/parallel), so it is carried here: the report and
   * where its artifacts are. It fails the run like a FAIL finding.
   */
  readonly unexplained?: { readonly report: string; readonly artifacts?: string };
  readonly parts?: readonly DomainPart[];
}
