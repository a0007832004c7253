/** What one property (a domain under one profile) came to, for the summary and the KTAP output. */
import type { DomainProperty } from '../domains.js';

export type DomainStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface DomainResult {
  readonly property: DomainProperty;
  readonly profile: string;
  readonly status: DomainStatus;
  /** Skip reason, infrastructure error, or the formatted failure. */
  readonly detail?: string;
  /** Failure artifacts folder (first case; `shrunk/` inside once shrinking ended). */
  readonly artifacts?: string;
  readonly seed: number;
  readonly sequences: number;
  readonly opsChecked: number;
  readonly ruleHits: ReadonlyMap<string, number>;
  readonly ms: number;
}
