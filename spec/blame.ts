/**
 * Which rule excluded an observed outcome. A verdict's allowed set is what all its rules agree on:
 * the deciding rule (rules[0]) says which outcome happens (ok, this errno, that signal) and fixes
 * every value, except the values its parts attribute to other rules (spec/verdict.ts Part: the
 * byte a load reads is FIO-11's when it must be zero). So each rule has its own allowed set:
 *
 *  - the deciding rule allows every outcome that matches an allowed one outside the parts;
 *  - a part's rule allows every outcome whose value at its path matches that of an allowed outcome
 *    of the same shape (the same outside the parts); outcomes of another shape are not its concern.
 *
 * The headline of a failure is the first rule, deciding rule first, whose set excludes the
 * observation. A punch that leaves stale bytes makes a later fault read 1 where 0 is allowed: the
 * fault succeeded as MAP-5 says, FIO-11 (nothing shows stale contents) is the rule broken.
 */
import { valueEqual, type Outcome } from './vocab/index.js';
import type { Part, RuleId } from './verdict.js';

export interface Judged {
  readonly allowed: readonly Outcome[];
  readonly rules: readonly RuleId[];
  readonly parts?: readonly Part[];
}

const at = (v: unknown, path: readonly string[]): unknown => {
  let x = v;
  for (const k of path) {
    if (typeof x !== 'object' || x === null) return undefined;
    x = (x as Record<string, unknown>)[k];
  }
  return x;
};

/** `v` without the values at `paths` (a path that does not exist leaves it as it is). */
const without = (v: unknown, paths: readonly (readonly string[])[]): unknown => {
  if (paths.length === 0 || typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (paths.some((p) => p.length === 1 && p[0] === k)) continue;
    out[k] = without(x, paths.filter((p) => p.length > 1 && p[0] === k).map((p) => p.slice(1)));
  }
  return out;
};

/** The rule whose allowed set excludes `observed` (the deciding rule when no part explains it). */
export const excludedBy = (v: Judged, observed: Outcome): RuleId => {
  const decider = v.rules[0] ?? '?';
  const parts = v.parts ?? [];
  if (parts.length === 0) return decider;
  const paths = parts.map((p) => p.path);
  const shape = without(observed, paths);
  const sameShape = v.allowed.filter((a) => valueEqual(without(a, paths), shape));
  if (sameShape.length === 0) return decider;
  for (const p of parts) {
    const got = at(observed, p.path);
    if (!sameShape.some((a) => valueEqual(at(a, p.path), got))) return p.rule;
  }
  // Every part allows its value, only not in this combination: the deciding rule combined them.
  return decider;
};

/** The verdict's rules with the one that excluded `observed` first (the order reports show). */
export const rulesBlamedFirst = (v: Judged, observed: Outcome): RuleId[] => {
  const head = excludedBy(v, observed);
  return [head, ...v.rules.filter((r) => r !== head)];
};
