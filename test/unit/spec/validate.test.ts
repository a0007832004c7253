/**
 * The boundary check derived from the op declarations: it accepts every op the generators make
 * (every kind, every preset), and for every field of every op kind it rejects a wrong type and
 * the values just outside what the field's C type can carry, naming op, field and range.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidOpError, OP_KINDS, RANGES, declOf, validateOp, type Field, type Op, type OpKind } from '../../../spec/vocab/index.js';
import { PRESETS } from '../../../spec/profiles/index.js';
import { EMULATOR_LIMITS, NATIVE_LIMITS } from '../../../models/generate/context.js';
import { MIXED } from '../../../models/generate/mixes.js';
import { sequenceArb } from '../../../models/generate/sequence.js';
import { resolveTemplates } from '../../../models/property.js';

/** A valid op of each kind, from the generators. */
const samples = new Map<OpKind, Op>();
const generated: Op[] = [];
for (const [i, profile] of Object.values(PRESETS).entries()) {
  for (const limits of [EMULATOR_LIMITS, NATIVE_LIMITS]) {
    for (const t of fc.sample(sequenceArb({ mix: MIXED, maxLength: 40 }), { numRuns: 120, seed: 100 + i })) {
      for (const op of resolveTemplates(t, limits, profile)) {
        generated.push(op);
        if (!samples.has(op.kind)) samples.set(op.kind, op);
      }
    }
  }
}

/** Values the field's C type cannot carry, or of the wrong type. */
const hostile = (f: Field<unknown>): unknown[] => {
  const t = f.type;
  switch (t.abi) {
    case 'u64': return [-1n, RANGES.u64[1] + 1n, 1n << 127n, 4096, '4096', null];
    case 'i64': return [RANGES.i64[0] - 1n, RANGES.i64[1] + 1n, 0, NaN];
    case 'int': return [2 ** 31, -(2 ** 31) - 1, 1.5, 0n];
    case 'u32': return [-1, 2 ** 32, Infinity, 0n];
    case 'byte': return [-1, 256, 0.5];
    case 'handle': return [-1, 2 ** 31, 1n, 'x'];
    case 'count': return [-1, t.max + 1, 1n];
    case 'bool': return [0, 'true', null];
    case 'enum': return ['NOT_A_NAME', 0, null];
    case 'words': return [Array(t.max + 1).fill(0n), [-1n], 0n];
    case 'nullable': return [undefined, ...hostile(t.inner).filter((v) => v !== null)];
    case 'variant': return [{ kind: 'nope' }, null, 'map'];
  }
};

describe('the boundary check derived from the declarations', () => {
  it('accepts every generated op, of every kind, under every preset and both limit sets', () => {
    expect(generated.length).toBeGreaterThan(10_000);
    for (const op of generated) validateOp(op);
    expect(OP_KINDS.filter((k) => !samples.has(k))).toEqual([]);
  });

  it.each(OP_KINDS)('%s: every field rejects a wrong type and values outside its C type, naming op and field', (kind) => {
    const op = samples.get(kind)!;
    let rejected = 0;
    for (const [name, f] of Object.entries(declOf(kind).fields)) {
      for (const bad of hostile(f)) {
        const mutated = { ...op, [name]: bad };
        expect(() => validateOp(mutated), `${kind}.${name} = ${String(bad)}`).toThrow(InvalidOpError);
        expect(() => validateOp(mutated)).toThrow(new RegExp(`^invalid op ${kind}\\.${name}`));
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });

  it('rejects unknown kinds and fields and missing fields, and says what is allowed', () => {
    const op: Op = { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 4096n };
    expect(() => validateOp({ ...op, kind: 'execve' })).toThrow(/op\.kind: unknown kind \(string\)/);
    expect(() => validateOp({ ...op, kind: 'execve' })).not.toThrow(/execve/);
    expect(() => validateOp({ ...op, path: '/etc/passwd' })).toThrow(/fallocate: unknown field "path"/);
    expect(() => validateOp({ ...op, len: undefined })).toThrow(/fallocate: missing field "len"|fallocate\.len/);
    expect(() => validateOp({ ...op, len: 1n << 63n })).toThrow(/fallocate\.len: expected i64 \(a bigint in \[-9223372036854775808, 9223372036854775807\]\), got bigint 9223372036854775808/);
    expect(() => validateOp({ kind: 'madvise', map: 0, offset: 0n, length: 4096n, advice: 'FREE' }))
      .toThrow(/madvise\.advice: expected one of DONTNEED\|REMOVE\|COLLAPSE\|HUGEPAGE\|POPULATE_READ\|POPULATE_WRITE, got a string of 4 characters/);
    expect(() => validateOp(null)).toThrow(InvalidOpError);
  });
});
