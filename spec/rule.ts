/**
 * Rules: one id (spec/catalogue: a numbered rule or GEN-*), one citation, one
 * pure function. An op handler is an ordered chain of rules in the kernel's own check order; the
 * first rule that returns a Decision decides, and its id (plus any `also` facts it relied on)
 * becomes the verdict's `rules`.
 */
import { outcomeEqual, type Outcome } from './vocab/index.js';
import type { Part, RuleId, Verdict } from './verdict.js';
import type { SpecState } from './state/types.js';

/** The spec was asked something it cannot answer (e.g. next() of an outcome it did not allow). */
export class SpecMisuseError extends Error {
  override name = 'SpecMisuseError';
}

export interface Decision {
  readonly allowed: readonly Outcome[];
  /** Further rules whose facts shaped the decision (effects, values), most specific first. */
  readonly also?: readonly Rule<never>[];
  readonly loose?: string;
  /**
   * Values of the allowed outcomes that a fact (not the deciding rule) fixed, with where they sit
   * in the outcome (spec/verdict.ts Part); add them with `owning`. Their rules are named in the
   * verdict's rules too.
   */
  readonly parts?: readonly DecisionPart[];
  readonly next: (observed: Outcome) => SpecState;
}

export interface DecisionPart {
  readonly rule: Rule<never>;
  readonly path: readonly string[];
}

export interface Rule<C> {
  readonly id: RuleId;
  /** Catalogue id and source key, or an upstream path and function. */
  readonly cite: string;
  /** Decide, or return undefined to pass to the next rule. Facts used only via `also` have none. */
  readonly decide?: (ctx: C) => Decision | undefined;
}

export const rule = <C>(r: Rule<C>): Rule<C> => r;
/** A cited fact that other rules name in `also` (an effect or a value, not a check). */
export const fact = (id: RuleId, cite: string): Rule<never> => ({ id, cite });

/** Run a chain; the first decision wins. */
export const first = <C>(ctx: C, chain: readonly Rule<C>[]): Verdict<SpecState> | undefined => {
  for (const r of chain) {
    const d = r.decide?.(ctx);
    if (d !== undefined) return toVerdict(r, d);
  }
  return undefined;
};

const toVerdict = (r: Rule<never> | Rule<unknown>, d: Decision): Verdict<SpecState> => {
  const rules = d.also === undefined || d.also.length === 0 ? [r.id] : [r.id, ...d.also.map((a) => a.id)];
  // A part's rule is one of the verdict's rules, whether or not the decision named it in `also`.
  for (const p of d.parts ?? []) if (!rules.includes(p.rule.id)) rules.push(p.rule.id);
  const parts: Part[] | undefined = d.parts?.length ? d.parts.map((p) => ({ rule: p.rule.id, path: p.path })) : undefined;
  return {
    allowed: d.allowed, rules, next: d.next,
    ...(d.loose === undefined ? {} : { loose: d.loose }),
    ...(parts === undefined ? {} : { parts }),
  };
};

/** Like first, but a chain that must decide (its last rule always does). */
export const decideBy = <C>(ctx: C, chain: readonly Rule<C>[], fallback: Rule<C>): Verdict<SpecState> => {
  const v = first(ctx, chain);
  if (v !== undefined) return v;
  const d = fallback.decide?.(ctx);
  if (d === undefined) throw new Error(`spec bug: final rule ${fallback.id} passed`);
  return toVerdict(fallback, d);
};

// ---- decision builders ------------------------------------------------------------------------

/** One outcome, state unchanged (errors). */
export const only = (s: SpecState, o: Outcome, also?: readonly Rule<never>[]): Decision =>
  also === undefined ? { allowed: [o], next: () => s } : { allowed: [o], also, next: () => s };

/**
 * One outcome, next state computed lazily. Never name an export `then`: a module namespace with a
 * `then` function is a thenable, and `await import()` of it never settles (vitest hangs).
 */
export const andThen = (o: Outcome, next: () => SpecState, also?: readonly Rule<never>[]): Decision => {
  let memo: SpecState | undefined;
  const n = () => (memo ??= next());
  return also === undefined ? { allowed: [o], next: n } : { allowed: [o], also, next: n };
};

/**
 * Several outcomes, each with its own next state; `next` matches the observed outcome. An outcome
 * outside the set is a caller bug (the runner checks membership first): it throws SpecMisuseError
 * instead of silently keeping some state.
 */
export const cases = (
  pairs: readonly (readonly [Outcome, () => SpecState])[],
  loose: string | undefined,
  also?: readonly Rule<never>[],
): Decision => {
  const d: Decision = {
    allowed: pairs.map((p) => p[0]),
    next: (o) => {
      for (const [a, n] of pairs) if (outcomeEqual(a, o)) return n();
      throw new SpecMisuseError(`next() called with an outcome the verdict does not allow: ${JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))}`);
    },
    ...(loose === undefined ? {} : { loose }),
    ...(also === undefined ? {} : { also }),
  };
  return d;
};

/**
 * The decision with the value at `path` of its outcomes attributed to `fact` (provenance: a load's
 * byte is FIO-11's when it must read zero, MAP-6's when it must read earlier data, while the
 * deciding rule says the access succeeds at all). No fact: the decision unchanged.
 */
export const owning = (d: Decision, fact: Rule<never> | undefined, path: readonly string[]): Decision =>
  fact === undefined ? d : { ...d, parts: [...(d.parts ?? []), { rule: fact, path }] };

/** The decision's parts moved under `prefix` (an outcome nested in another, e.g. a userfault's access). */
export const nestParts = (parts: readonly DecisionPart[] | undefined, prefix: readonly string[]): DecisionPart[] | undefined =>
  parts?.map((p) => ({ rule: p.rule, path: [...prefix, ...p.path] }));

/**
 * Either of two decisions may hold (the spec cannot tell which world the kernel is in): the union
 * of their outcomes; an observed outcome takes the next state of the first decision allowing it.
 */
export const eitherOf = (d1: Decision, d2: Decision, loose: string): Decision => ({
  allowed: [...d1.allowed, ...d2.allowed.filter((o) => !d1.allowed.some((x) => outcomeEqual(x, o)))],
  next: (o) => (d1.allowed.some((x) => outcomeEqual(x, o)) ? d1.next(o) : d2.next(o)),
  loose,
  ...(d1.also === undefined ? {} : { also: d1.also }),
  ...(d1.parts === undefined && d2.parts === undefined ? {} : { parts: [...(d1.parts ?? []), ...(d2.parts ?? [])] }),
});
