/**
 * After fast-check's shrink: delete single steps of the resolved sequence while the same rule still
 * fails (a 1-minimal counterexample, as delta debugging gives). fast-check shrinks the generated
 * templates; removing a template there shifts later handle picks, so its result is sometimes a step
 * or two longer than necessary. Here a deleted creation renumbers the later handles of its class,
 * and a creation whose handle is still used later is kept. Each attempt is one short lockstep run.
 */
import type { Op, Profile } from '../spec/vocab/index.js';
import type { TargetFactory } from '../adapters/target.js';
import { lockstep, type Failure } from './lockstep.js';
import { SPEC } from './spec-api.js';

type HandleClass = 'vm' | 'fd' | 'map' | 'uffd';

/** The handle a creation op makes, if it is one. */
const created = (op: Op): [HandleClass, number] | undefined => {
  switch (op.kind) {
    case 'createVm': return ['vm', op.id];
    case 'createGmem': case 'createMemfd': case 'dup': return ['fd', op.id];
    case 'mmap': return ['map', op.id];
    case 'uffdCreate': return ['uffd', op.id];
    default: return undefined;
  }
};

const CLASS_OF_KEY: Readonly<Record<string, HandleClass>> = { vm: 'vm', fd: 'fd', other: 'fd', map: 'map', uffd: 'uffd' };

/** Rewrites every reference to class `cls` through `f` (nested slot fds and user addresses too). */
const mapRefs = (op: Op, cls: HandleClass, f: (h: number) => number): Op => {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'number' && CLASS_OF_KEY[key] === cls) return f(v);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'id' ? x : walk(x, k)]));
    }
    return v;
  };
  const out = walk(op, '') as Op;
  const own = created(op);
  return own && own[0] === cls ? ({ ...out, id: f(own[1]) } as Op) : out;
};

const uses = (op: Op, cls: HandleClass, h: number): boolean => {
  let hit = false;
  mapRefs(op, cls, (x) => { if (x === h) hit = true; return x; });
  return hit && created(op)?.[1] !== h;
};

/** The sequence without step i, or undefined when a later step still needs what step i created. */
const without = (ops: readonly Op[], i: number): Op[] | undefined => {
  const made = created(ops[i]!);
  const rest = ops.filter((_, j) => j !== i);
  if (!made) return rest;
  const [cls, h] = made;
  if (ops.slice(i + 1).some((op) => uses(op, cls, h))) return undefined;
  return rest.map((op, j) => (j < i ? op : mapRefs(op, cls, (x) => (x > h ? x - 1 : x))));
};

export const minimise = async (
  start: Failure, profile: Profile, makeTarget: TargetFactory, seed: number, maxRuns = 300,
): Promise<Failure> => {
  let best = start;
  const rule = (f: Failure) => f.steps[f.index]?.rules[0];
  let runs = 0;
  for (let i = 0; i < best.index && runs < maxRuns; ) {
    const candidate = without(best.steps.slice(0, best.index + 1).map((s) => s.op), i);
    if (candidate === undefined) { i++; continue; }
    runs++;
    const target = await makeTarget(seed);
    try {
      const r = await lockstep(SPEC, profile, target, candidate);
      if (r.failure && rule(r.failure) === rule(best)) { best = r.failure; continue; }
    } finally {
      await target.close();
    }
    i++;
  }
  return best;
};
