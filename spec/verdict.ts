/**
 * What the spec answers for one op: the *set* of outcomes a conforming kernel may produce, the
 * rule ids that decided it, and the next abstract state for whichever allowed outcome the target
 * actually produced. Where the kernel may legitimately do either, `allowed` has both and `loose`
 * says why (open questions of docs/rules.md, timing, platform-defined contents).
 */
import type { Outcome } from './vocab/index.js';

export type RuleId = string;

/**
 * Provenance of part of the allowed outcomes: the rule that fixed the value at `path` (keys into
 * the outcome object, e.g. ['value', 'value'] for the byte a load returns), when that is not the
 * deciding rule. The deciding rule (rules[0]) owns everything else: which outcome happens (ok, the
 * errno, the signal) and every value no part names. ./blame.ts uses it to say which rule's allowed
 * set excluded an observation.
 */
export interface Part {
  readonly rule: RuleId;
  readonly path: readonly string[];
}

export interface Verdict<S> {
  readonly allowed: readonly Outcome[];
  /** The rules that decided this verdict, most specific first. Never empty. */
  readonly rules: readonly RuleId[];
  /** Why more than one outcome is allowed, when that is so. */
  readonly loose?: string;
  /** Values of the allowed outcomes fixed by rules other than the deciding one (see Part). */
  readonly parts?: readonly Part[];
  /** The next state, given an observed outcome that is in `allowed`. */
  next(observed: Outcome): S;
}

/** One run of pages with identical attributes, for reports and pictures (issue: visual report). */
export interface PageRun {
  readonly first: number;
  readonly count: number;
  readonly allocated: boolean;
  readonly content: 'zero' | 'data';
  readonly shared: boolean;
  readonly policy: string | null;
  readonly slot: string | null;
  readonly uffd: string | null;
  readonly directMap: boolean;
}

export interface FileView {
  readonly inode: number;
  readonly kind: 'gmem' | 'memfd';
  readonly fds: readonly number[];
  readonly sizePages: number;
  readonly flags: string;
  readonly runs: readonly PageRun[];
}

export interface StateView {
  readonly files: readonly FileView[];
  /** A human-readable dump of the whole abstract state (the vm_dump habit), for reports. */
  readonly text: string;
}
