/** Type-level and value-level checks that the op vocabulary stays in sync everywhere. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { OP_KINDS, type OpKind } from '../../../spec/vocab/index.js';
import { ALL_TEMPLATES } from '../../../models/generate/sequence.js';
import { MIXED } from '../../../models/generate/mixes.js';

describe('op vocabulary', () => {
  it('OP_KINDS lists every op kind exactly once', () => {
    expectTypeOf<(typeof OP_KINDS)[number]>().toEqualTypeOf<OpKind>();
    expect(new Set(OP_KINDS).size).toBe(OP_KINDS.length);
  });
  it('every op kind has a generator template and appears in the mixed sequences', () => {
    expect(OP_KINDS.filter((k) => !ALL_TEMPLATES[k])).toEqual([]);
    expect(OP_KINDS.filter((k) => !MIXED[k])).toEqual([]);
  });
});
