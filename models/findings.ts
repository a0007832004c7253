/**
 * The distinct failures of one run, keyed by the rule that excluded the observation and the kind
 * of op (models/lockstep.ts FailureKey). The first sighting of a key is searched, shrunk and
 * reported; from then on the key is suppressed for the rest of the run (every domain), and later
 * sightings only count. Deviations of rules the run does not judge (`--rule`) are counted apart.
 */
import { keyText, sameKey, type Deviation, type Failure, type FailureKey } from './lockstep.js';
import type { FoundAt } from './property.js';

export interface Finding {
  readonly key: FailureKey;
  /** The shrunk failure, once shrinking ended (the first failing case until then). */
  failure: Failure;
  shrunk: boolean;
  at: FoundAt;
  /** The domain (property) where it was first found, and every domain that saw it. */
  readonly domain: string;
  readonly domains: Set<string>;
  /** Sequences that showed it: the one that found it and every later one while suppressed. */
  sequences: number;
  /** Where its artifacts are (set by whoever writes them). */
  artifacts?: string;
}

export interface Unjudged {
  readonly key: FailureKey;
  sequences: number;
}

export class Findings {
  readonly all: Finding[] = [];
  readonly unjudged: Unjudged[] = [];
  /** Sequences ended without a verdict because of an unjudged deviation. */
  cut = 0;

  get(k: FailureKey): Finding | undefined {
    return this.all.find((f) => sameKey(f.key, k));
  }

  /** A new failure (its first, unshrunk case). */
  add(failure: Failure, key: FailureKey, at: FoundAt, domain: string): Finding {
    const f: Finding = { key, failure, shrunk: false, at, domain, domains: new Set([domain]), sequences: 1 };
    this.all.push(f);
    return f;
  }

  /** One sequence's deviations: counted against the finding they repeat, or as unjudged. */
  saw(ds: readonly Deviation[], domain: string): void {
    for (const d of ds) {
      const f = this.get(d);
      if (f !== undefined) {
        f.sequences++;
        f.domains.add(domain);
        continue;
      }
      const u = this.unjudged.find((x) => sameKey(x.key, d));
      if (u !== undefined) u.sequences++;
      else this.unjudged.push({ key: { rule: d.rule, kind: d.kind }, sequences: 1 });
    }
  }

  text(k: FailureKey): string {
    return keyText(k);
  }
}
