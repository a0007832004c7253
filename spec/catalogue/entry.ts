/** One rule of the catalogue: a numbered rule (./kernel-rules.ts) or a generic one (./generic-rules.ts). */
import type { Domain } from '../vocab/domains.js';

/**
 * Observable on the development host (Linux 6.18.44 with kvm_pvm, docs/probe-records)?
 *   OBS       measured there (the probe ids are in `measured`); the measurement wins over a derivation
 *   Y         observable and expected to hold as stated
 *   Y-ABSENT  the feature is absent there: the suite checks that it is absent (the errno stated)
 *   P         observable only after a probe (configuration or backport dependent)
 *   NOT-OBS   cannot be observed there (kvm_pvm serves guest accesses from userspace_addr)
 *   MN        needs two or more NUMA nodes
 *   PRIV      needs privileges or is destructive
 *   ''        not tagged (design and environment rules)
 */
export const OBSERVABILITY = ['OBS', 'Y', 'Y-ABSENT', 'P', 'NOT-OBS', 'MN', 'PRIV', ''] as const;
export type Observability = (typeof OBSERVABILITY)[number];

/**
 * Status labels: `UP-x.y` merged upstream since x.y (`UP-x.y(→6.18.N)` backported), `UP` generic
 * upstream behaviour, `PROP:<series> vN` proposed and not merged, `OPEN` a design question (see
 * ./questions.ts), `DERIVED` worked out from the source with no selftest or document stating it,
 * `UNVERIFIED` not confirmed from a primary source.
 */
export interface CatalogueEntry {
  readonly id: string;
  /** From the id's prefix (spec/vocab/domains.ts). */
  readonly domain: Domain;
  /** e.g. "6.18", "PROP v8", "≥6.19". */
  readonly qualifier: string;
  readonly statement: string;
  /** Release or series status (labels above). */
  readonly status: string;
  readonly observability: Observability;
  /** What was measured on the development host, with probe ids (`obs:` and an id, docs/probe-records). */
  readonly measured: string;
  /** Source keys (./sources.ts) with the functions and tests read, or upstream paths. */
  readonly src: string;
}

/** How a rule is written down: everything but what follows from its id. */
export type RuleText = Omit<CatalogueEntry, 'domain' | 'qualifier' | 'measured' | 'src'> & Partial<Pick<CatalogueEntry, 'qualifier' | 'measured' | 'src'>>;
