/**
 * The generator's contract: resolved sequences name only handles that an earlier step created (or
 * handle 0 when none exists), creation ids follow creation order, and the safety limits for a real
 * kernel hold for every op that could allocate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FALLOC } from '../../../spec/vocab/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { sequenceArb } from '../../../models/generate/sequence.js';
import { MIXED } from '../../../models/generate/mixes.js';
import { NATIVE_LIMITS } from '../../../models/generate/context.js';
import { resolveTemplates } from '../../../models/property.js';

describe('sequence generation', () => {
  it('creation ids count up and references stay within created handles', () => {
    fc.assert(fc.property(sequenceArb({ mix: MIXED, maxLength: 60 }), (t) => {
      const ops = resolveTemplates(t, NATIVE_LIMITS, linux618);
      let fds = 0; let maps = 0;
      for (const op of ops) {
        if (op.kind === 'createGmem' || op.kind === 'createMemfd' || op.kind === 'dup' || op.kind === 'passFd') expect(op.id).toBe(fds++);
        if (op.kind === 'load' || op.kind === 'store' || op.kind === 'munmap') expect(op.map).toBeLessThanOrEqual(Math.max(0, maps - 1));
        if (op.kind === 'mmapEx' && op.place.kind === 'over') expect(op.place.map).toBeLessThanOrEqual(Math.max(0, maps - 1));
        if (op.kind === 'mmap' || op.kind === 'mmapEx') expect(op.id).toBe(maps++);
      }
    }), { numRuns: 300 });
  });
  it('keeps allocating requests within the native safety limits', () => {
    const cap = BigInt(NATIVE_LIMITS.maxAllocPages) * 4096n;
    fc.assert(fc.property(sequenceArb({ mix: MIXED, maxLength: 60 }), (t) => {
      for (const op of resolveTemplates(t, NATIVE_LIMITS, linux618)) {
        if (op.kind === 'fallocate' && (op.mode & FALLOC.PUNCH_HOLE) === 0) expect(op.len).toBeLessThan(cap + 4096n);
        if (op.kind === 'mmap' || op.kind === 'mmapEx') expect(op.length).toBeLessThanOrEqual(NATIVE_LIMITS.maxMapBytes);
        if (op.kind === 'mmapEx' && (op.flags & 0xa000n) !== 0n) expect(op.length).toBeLessThanOrEqual(cap); // MAP_POPULATE / MAP_LOCKED
        if (op.kind === 'setMemoryRegion') expect(op.size).toBeLessThanOrEqual(BigInt(NATIVE_LIMITS.maxSlotPages) * 4096n);
      }
    }), { numRuns: 300 });
  });
});
