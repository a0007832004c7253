/**
 * The reproducer runtime has a C function for every op a program can issue: a new op kind fails
 * here until models/report/repro/runtime.c has its op_<kind> (and the _placed/_any variants the
 * emitter may call), so a reproducer never names a function that does not exist.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OP_KINDS, cFunction, declOf } from '../../../spec/vocab/index.js';
import { parseC } from '../../../models/report/repro/c-items.js';
import { ACCESS, PLACED } from '../../../models/report/repro/emit-op.js';

describe('reproducer runtime', () => {
  it('defines op_<kind> for every reproducible op kind, with the variants the emitter calls', () => {
    const defined = new Set(parseC(readFileSync(new URL('../../../models/report/repro/runtime.c', import.meta.url), 'utf8')).items.flatMap((i) => i.defines));
    const wanted = OP_KINDS.filter((k) => declOf(k).notReproducible === undefined).flatMap((k) => [
      cFunction(k), ...(PLACED.has(k) ? [`${cFunction(k)}_placed`] : []), ...(ACCESS.has(k) ? [`${cFunction(k)}_any`] : []),
    ]);
    expect(wanted.filter((f) => !defined.has(f))).toEqual([]);
  });
});
