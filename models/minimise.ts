/**
 * After fast-check's shrink: reduce the resolved sequence further while the same failure (rule and op kind) still shows
 * (a 1-minimal counterexample, as delta debugging gives). fast-check shrinks the generated
 * templates; removing a template there shifts later handle picks, so its result is sometimes a step
 * or two longer than necessary. Two reductions, each tried as one short lockstep run:
 *  - drop a step; a dropped creation renumbers the later handles of its class, and a creation
 *    whose handle is still used later is not dropped this way;
 *  - merge a creation into an earlier handle of its class: drop it and point its later uses at the
 *    earlier handle. A second mapping of the same file is the common case (fast-check cannot make
 *    this move: it would have to change a handle pick and an offset together), so map-relative
 *    offsets are translated to keep addressing the same file page.
 */
import { createdBy, rewriteHandles, usesHandle, type HandleClass, type Op, type Profile } from '../spec/vocab/index.js';
import type { TargetFactory } from '../spec/vocab/target.js';
import { failureKey, lockstep, sameKey, type Failure, type FailureKey } from './lockstep.js';
import { TargetLimitError } from '../spec/vocab/errors.js';
import { SPEC } from './spec-api.js';

const created = (op: Op): [HandleClass, number] | undefined => {
  const c = createdBy(op);
  return c === undefined ? undefined : [c.cls, c.id];
};

/** The sequence without step i, or undefined when a later step still needs what step i created. */
const without = (ops: readonly Op[], i: number): Op[] | undefined => {
  const made = created(ops[i]!);
  const rest = ops.filter((_, j) => j !== i);
  if (!made) return rest;
  const [cls, h] = made;
  if (ops.slice(i + 1).some((op) => usesHandle(op, cls, h))) return undefined;
  return rest.map((op, j) => (j < i ? op : rewriteHandles(op, cls, (x) => (x > h ? x - 1 : x))!));
};

/**
 * The sequence without every step of [from, to) that no later step needs (a creation still used
 * stays), or undefined when none could go. Steps go last to first, so earlier indices stay valid.
 */
const withoutRange = (ops: readonly Op[], from: number, to: number): Op[] | undefined => {
  let out: Op[] = [...ops];
  for (let i = to - 1; i >= from; i--) out = without(out, i) ?? out;
  return out.length < ops.length ? out : undefined;
};

/** The mmap op that created map `h` before step `before`. */
const mmapOf = (ops: readonly Op[], before: number, h: number): Extract<Op, { kind: 'mmap' }> | undefined =>
  ops.slice(0, before).find((o): o is Extract<Op, { kind: 'mmap' }> => o.kind === 'mmap' && o.id === h);

/**
 * The sequence with step i's creation merged into the earlier handle `into` of the same class, or
 * undefined when that cannot be expressed (a translated map offset would be negative).
 */
const mergedInto = (ops: readonly Op[], i: number, into: number): Op[] | undefined => {
  const [cls, h] = created(ops[i]!)!;
  let shift: ((m: number, offset: bigint) => bigint | undefined) | undefined;
  if (cls === 'map') {
    const from = ops[i] as Extract<Op, { kind: 'mmap' }>;
    const to = mmapOf(ops, i, into);
    // Same file: keep the file page (offset into the file stays put); another file: keep the offset.
    const delta = to && to.fd === from.fd ? from.offset - to.offset : 0n;
    shift = (m, offset) => (m !== h ? offset : offset + delta >= 0n ? offset + delta : undefined);
  }
  const out: Op[] = [];
  for (const [j, op] of ops.entries()) {
    if (j < i) { out.push(op); continue; }
    if (j === i) continue;
    const r = rewriteHandles(op, cls, (x) => (x === h ? into : x > h ? x - 1 : x), shift);
    if (r === undefined) return undefined;
    out.push(r);
  }
  return out;
};

/** Every reduction of step i, smallest change first. */
function* candidates(ops: readonly Op[], i: number): Generator<Op[]> {
  const dropped = without(ops, i);
  if (dropped) { yield dropped; return; }
  const [, h] = created(ops[i]!)!;
  for (let into = 0; into < h; into++) {
    const m = mergedInto(ops, i, into);
    if (m) yield m;
  }
}

/**
 * Reduces `start` in two phases. First chunks, as delta debugging does: drop halves, quarters, …
 * of the steps before the failing one, keeping any drop after which the same rule still fails; a
 * failure buried deep in a long sequence loses most of its prefix in a few dozen runs (fast-check
 * removes one position at a time there). Then single steps and handle merges, to a 1-minimal case.
 */
export const minimise = async (
  start: Failure, profile: Profile, makeTarget: TargetFactory, seed: number, maxRuns = 2000, key: FailureKey = failureKey(start),
  signal?: AbortSignal,
): Promise<Failure> => {
  let best = start;
  let runs = 0;
  // Only the same failure counts (the rule that excluded the observation, on the same kind of op);
  // any other rule's exclusion is a deviation, continued from or cut as lockstep does.
  const same = (k: FailureKey) => sameKey(k, key);
  const fails = async (ops: readonly Op[]): Promise<Failure | undefined> => {
    // Interrupted (Ctrl-C): keep what we have; every further candidate counts as not failing.
    if (signal?.aborted) return undefined;
    runs++;
    const target = await makeTarget(seed);
    try {
      const r = await lockstep(SPEC, profile, target, ops, undefined, same);
      return r.failure;
    } catch (e) {
      // A candidate the target refuses to run (a limit, or a placement a removed op used to make
      // safe) is no evidence of the failure: it does not fail, and the reduction is not taken.
      if (e instanceof TargetLimitError) return undefined;
      throw e;
    } finally {
      await target.close();
    }
  };
  const prefix = () => best.steps.slice(0, best.index + 1).map((s) => s.op);
  for (let chunk = Math.floor(best.index / 2); chunk >= 2 && runs < maxRuns; ) {
    let progressed = false;
    for (let from = 0; from < best.index && runs < maxRuns; ) {
      const c = withoutRange(prefix(), from, Math.min(from + chunk, best.index));
      const reduced = c && (await fails(c));
      if (reduced) { best = reduced; progressed = true; } else from += chunk;
    }
    if (!progressed) chunk = Math.floor(chunk / 2);
  }
  for (let i = 0; i < best.index && runs < maxRuns; ) {
    let reduced: Failure | undefined;
    for (const c of candidates(best.steps.slice(0, best.index + 1).map((s) => s.op), i)) {
      if (runs >= maxRuns) break;
      reduced = await fails(c);
      if (reduced) break;
    }
    if (reduced) best = reduced;
    else i++;
  }
  return best;
};
