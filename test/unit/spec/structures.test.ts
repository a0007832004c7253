/** The interval map and the persistent map against naive models. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { EMPTY, imEach, imFind, imGet, imSet, imUpdate, type IMap, imRuns } from '../../../spec/state/imap.js';
import { PMap } from '../../../spec/state/pmap.js';

const N = 40;
const VALS = ['a', 'b', 'c'] as const;
type V = (typeof VALS)[number];

const edit = fc.record({
  s: fc.integer({ min: 0, max: N }), len: fc.integer({ min: 0, max: 12 }),
  v: fc.option(fc.constantFrom(...VALS), { nil: undefined }), upd: fc.boolean(),
});

describe('interval map', () => {
  it('matches a per-key array model and stays canonical', () => {
    fc.assert(fc.property(fc.array(edit, { maxLength: 30 }), (edits) => {
      let m: IMap<V> = EMPTY;
      const model: (V | undefined)[] = new Array(N + 12).fill(undefined);
      for (const e of edits) {
        const end = e.s + e.len;
        if (e.upd) {
          m = imUpdate(m, e.s, end, (x) => (x === undefined ? e.v : x));
          for (let k = e.s; k < end; k++) model[k] ??= e.v;
        } else {
          m = imSet(m, e.s, end, e.v);
          for (let k = e.s; k < end; k++) model[k] = e.v;
        }
        for (let k = 0; k < model.length; k++) expect(imGet(m, k)).toBe(model[k]);
        const runs = imRuns(m);
        for (let i = 0; i < runs.length; i++) {
          expect(runs[i]!.s).toBeLessThan(runs[i]!.e);
          if (i > 0) {
            expect(runs[i - 1]!.e).toBeLessThanOrEqual(runs[i]!.s);
            if (runs[i - 1]!.e === runs[i]!.s) expect(runs[i - 1]!.v).not.toBe(runs[i]!.v);
          }
        }
        const a = e.s;
        const b = Math.min(model.length, end + 3);
        let k = a;
        imEach(m, a, b, (x, y, v) => {
          expect(x).toBe(k);
          for (let j = x; j < y; j++) expect(v).toBe(model[j]);
          k = y;
        });
        if (a < b) expect(k).toBe(b);
        const f = imFind(m, a, b, (v) => v === 'b');
        const want = model.slice(a, b).indexOf('b');
        expect(f).toBe(want < 0 ? undefined : a + want);
      }
    }));
  });

  it('handles page indices near 2^52 in one run', () => {
    const top = 2 ** 52;
    const m = imSet(imSet(EMPTY as IMap<string>, 0, top, 'x'), 5, 6, undefined);
    expect(imRuns(m)).toHaveLength(2);
    expect(imGet(m, top - 1)).toBe('x');
    expect(imGet(m, 5)).toBeUndefined();
  });
});

describe('persistent map', () => {
  it('matches Map and leaves old versions intact', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })), fc.option(fc.nat(), { nil: undefined })), { maxLength: 60 }), (ops) => {
      let m = PMap.empty<number>();
      const ref = new Map<number, number>();
      const versions: [PMap<number>, Map<number, number>][] = [];
      for (const [k, v] of ops) {
        m = m.with(k, v);
        if (v === undefined) ref.delete(k);
        else ref.set(k, v);
        versions.push([m, new Map(ref)]);
      }
      for (const [pm, r] of versions) {
        expect(pm.size).toBe(r.size);
        expect(new Map(pm)).toEqual(r);
        for (const [k, v] of r) expect(pm.get(k)).toBe(v);
      }
    }));
  });
});
