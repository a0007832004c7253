/**
 * The declaration-derived template (models/generate/derived.ts): for every declared op kind it makes
 * ops the boundary accepts, naming only live handles, within the generator's allocation limit,
 * with the edge bits of each flag word; and sequences of nothing but derived templates run in
 * lockstep on the emulator against the spec without a disagreement (so a newly declared op is
 * tested end to end before it has a template of its own).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OP_KINDS, formatOp, validateOp, type Op } from '../../../spec/vocab/index.js';
import { encodeOutcome } from '../../../models/report/outcome-code.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { derivedTemplate } from '../../../models/generate/derived.js';
import { EMULATOR_LIMITS, NATIVE_LIMITS } from '../../../models/generate/context.js';
import { template } from '../../../models/generate/template.js';
import { resolveTemplates } from '../../../models/property.js';
import { lockstep } from '../../../models/lockstep.js';
import { SPEC } from '../../../models/spec-api.js';
import { createEmulator } from '../../../adapters/emulator/index.js';

/** A VM, a guest_memfd of four pages, its mapping and a uffd: every handle class exists. */
const SETUP = [
  template('createVm', () => ({ kind: 'createVm', id: 0, type: 0 })),
  template('createGmem', () => ({ kind: 'createGmem', vm: 0, id: 0, size: 16384n, flags: 3n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] })),
  template('mmap', () => ({ kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 16384n, prot: 3, shared: true })),
];
const anyKind = fc.constantFrom(...OP_KINDS).chain((k) => derivedTemplate(k));

describe('templates derived from the op declarations', () => {
  it('every kind resolves to an op the boundary accepts, on live handles, within the allocation limit', () => {
    for (const kind of OP_KINDS) {
      fc.assert(fc.property(derivedTemplate(kind), (t) => {
        const ops = resolveTemplates([...SETUP, t], NATIVE_LIMITS, linux618);
        const op = ops[ops.length - 1]! as Op & Record<string, unknown>;
        expect(op.kind).toBe(kind);
        validateOp(op);
        if (typeof op.map === 'number' && kind !== 'mmap') expect(op.map).toBe(0);
        for (const f of ['length', 'len'] as const) {
          // Within the allocation limit, or a negative length (as its C type carries it): a refusal.
          const v = op[f];
          if (typeof v === 'bigint' && 'offset' in op && v >= 0n && v < 1n << 63n) expect(v).toBeLessThanOrEqual(BigInt(NATIVE_LIMITS.maxAllocPages) * 4096n);
        }
      }), { numRuns: 40 });
    }
  });

  it('a flag word gets its edge bits: fallocate mode sees bit 31 and an unknown bit, mmap prot combinations', () => {
    const modes = fc.sample(derivedTemplate('fallocate'), { numRuns: 400, seed: 1 })
      .map((t) => (resolveTemplates([...SETUP, t], NATIVE_LIMITS, linux618).at(-1) as Extract<Op, { kind: 'fallocate' }>).mode);
    expect(modes.some((m) => m < 0)).toBe(true);
    expect(new Set(modes).size).toBeGreaterThan(6);
  });

  it('sequences of derived templates only agree with the spec on the emulator', async () => {
    await fc.assert(fc.asyncProperty(fc.array(anyKind, { maxLength: 25 }), fc.nat(), async (body, seed) => {
      const ops = resolveTemplates([...SETUP, ...body], EMULATOR_LIMITS, linux618);
      const target = await createEmulator({ profile: linux618, seed });
      try {
        const r = await lockstep(SPEC, linux618, target, ops);
        const at = r.failure?.steps[r.failure.index];
        const why = at ? `step ${r.failure!.index + 1}: ${formatOp(at.op)} [${at.rules.join(', ')}] got ${encodeOutcome(at.observed)}, allowed ${at.allowed.map(encodeOutcome).join(' | ')}` : '';
        expect(r.failure, `${why}\n${r.steps.map((x) => formatOp(x.op)).join("\n")}`).toBeUndefined();
      } finally {
        await target.close();
      }
    }), { numRuns: 300, seed: 42 });
  });
});
