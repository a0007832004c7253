/**
 * Why this test? Dual lockstep must report a difference only at the same op in the same observed
 * history: once the two sides saw different outcomes (or one failed) later steps are not compared.
 * A toy spec keeps the check independent of the real rules.
 */
import { describe, expect, it } from 'vitest';
import type { Op, Outcome, Profile } from '../../../spec/vocab/index.js';
import { linux618, upstream } from '../../../spec/profiles/index.js';
import type { SpecApi } from '../../../models/spec-api.js';
import type { Target } from '../../../spec/vocab/target.js';
import { dualLockstep } from '../../../models/diff/dual.js';

const EINVAL: Outcome = { kind: 'errno', errno: 'EINVAL' };
const EEXIST: Outcome = { kind: 'errno', errno: 'EEXIST' };
const OK: Outcome = { kind: 'ok' };

/** close → ok (GEN-CLOSE); dup → EINVAL or EEXIST by P-BIND-OVERLAP (SLOT-7). */
const toy: SpecApi<number> = {
  initialState: () => 0,
  step: (p: Profile, s: number, op: Op) => ({
    allowed: op.kind === 'dup' ? [p.variants.bindOverlap === 'EINVAL' ? EINVAL : EEXIST] : [OK],
    rules: [op.kind === 'dup' ? 'SLOT-7' : 'GEN-CLOSE'],
    next: () => s + 1,
  }),
  view: () => ({ files: [], text: '' }),
};

const scripted = (outcomes: readonly Outcome[]): Target => {
  let i = 0;
  return { name: 'script', probe: async () => { throw new Error('unused'); }, apply: async () => outcomes[i++]!, close: async () => undefined };
};

const close: Op = { kind: 'close', fd: 0 };
const dup: Op = { kind: 'dup', fd: 0, id: 1 };

describe('dual lockstep', () => {
  it('one kernel under two profiles: the side whose spec disagrees fails at the rule', async () => {
    const r = await dualLockstep(toy, { a: linux618, b: upstream }, { a: scripted([OK, EINVAL, OK]) }, [close, dup, close]);
    expect(r.differences).toHaveLength(1);
    const d = r.differences[0]!;
    expect(d).toMatchObject({ key: 'SLOT-7', index: 1, allowedDiffer: true, verdictDiffer: true });
    expect([d.a.pass, d.b.pass]).toEqual([true, false]);
    expect(r.compared).toBe(2);
  });

  it('two conforming targets: allowed sets differ, verdicts agree, comparison stops at the divergence', async () => {
    const r = await dualLockstep(toy, { a: linux618, b: upstream }, { a: scripted([OK, EINVAL, OK]), b: scripted([OK, EEXIST, OK]) }, [close, dup, close]);
    expect(r.differences.map((d) => [d.key, d.allowedDiffer, d.verdictDiffer])).toEqual([['SLOT-7', true, false]]);
    expect(r.differences[0]!.history.map((h) => h.op.kind)).toEqual(['close', 'dup']);
    expect(r.compared).toBe(2);
  });

  it('the same profile on both sides differs nowhere', async () => {
    const r = await dualLockstep(toy, { a: upstream, b: upstream }, { a: scripted([OK, EEXIST, OK]) }, [close, dup, close]);
    expect(r.differences).toEqual([]);
    expect(r.compared).toBe(3);
  });
});
