/** Running a handler: pre-checks on the raw op, then a chain on the resolved file or mapping. */
import { outcomeEqual, type OpKind, type OpOf, type Profile } from './vocab/index.js';
import type { Verdict } from './verdict.js';
import { first, type Rule } from './rule.js';
import type { Ctx, FileCtx, MapCtx } from './ctx.js';
import type { SpecState } from './state/types.js';

/** The spec's answer to one op kind in one state. */
export type Handler<K extends OpKind> = (p: Profile, s: SpecState, op: OpOf<K>) => Verdict<SpecState>;
/** Every op kind's handler (spec/step.ts builds it from the modules' `steps`). */
export type Handlers = { readonly [K in OpKind]: Handler<K> };
/** The handlers one rule module provides. */
export type Steps = Partial<Handlers>;

/** A chain whose last rule always decides; a gap is a spec bug and surfaces in the totality test. */
export const must = <C>(ctx: C, chain: readonly Rule<C>[]): Verdict<SpecState> => {
  const v = first(ctx, chain);
  if (v === undefined) throw new Error(`spec bug: no rule decided (${chain.map((r) => r.id).join(', ')})`);
  return v;
};

export const onFile = <K extends OpKind>(
  c: Ctx<K>, pre: readonly Rule<Ctx<K>>[], fd: number, chain: (f: FileCtx<K>) => readonly Rule<FileCtx<K>>[],
): Verdict<SpecState> => {
  const v = first(c, pre);
  if (v !== undefined) return v;
  const ino = c.s.inodes.get(c.s.fds.get(fd)!.inode)!;
  const f: FileCtx<K> = { ...c, ino };
  return must(f, chain(f));
};

export const onMap = <K extends OpKind>(
  c: Ctx<K>, pre: readonly Rule<Ctx<K>>[], map: number, chain: readonly Rule<MapCtx<K>>[],
): Verdict<SpecState> => {
  const v = first(c, pre);
  if (v !== undefined) return v;
  const m = c.s.maps.get(map)!;
  const mc: MapCtx<K> = { ...c, map: m, ino: c.s.inodes.get(m.inode)! };
  return must(mc, chain);
};

/**
 * Either of two verdicts may hold (the spec cannot see which world the kernel is in, e.g. the
 * address a mapping got): the union of their outcomes and rules; an observed outcome takes the
 * next state of the first verdict that allows it.
 */
export const eitherVerdict = (a: Verdict<SpecState>, b: Verdict<SpecState>, loose: string): Verdict<SpecState> => {
  const inA = (o: Parameters<Verdict<SpecState>['next']>[0]) => a.allowed.some((x) => outcomeEqual(x, o));
  const parts = [...(a.parts ?? []), ...(b.parts ?? [])];
  return {
    allowed: [...a.allowed, ...b.allowed.filter((o) => !inA(o))],
    rules: [...a.rules, ...b.rules.filter((r) => !a.rules.includes(r))],
    loose,
    ...(parts.length > 0 ? { parts } : {}),
    next: (o) => (inA(o) ? a.next(o) : b.next(o)),
  };
};
