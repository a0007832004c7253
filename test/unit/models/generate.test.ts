/**
 * The generator's contract: resolved sequences name only handles that an earlier step created (or
 * handle 0 when none exists), creation ids follow creation order, and the safety limits for a real
 * kernel hold for every op that could allocate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FALLOC, UFFD_MODE, createdBy } from '../../../spec/vocab/index.js';
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
        // Which ops create an fd or a mapping comes from their declarations (createdBy), not a hand list.
        const made = createdBy(op);
        if (made?.cls === 'fd') expect(made.id).toBe(fds++);
        if (made?.cls === 'map') expect(made.id).toBe(maps++);
        if (op.kind === 'load' || op.kind === 'store' || op.kind === 'munmap') expect(op.map).toBeLessThanOrEqual(Math.max(0, maps - 1));
      }
    }), { numRuns: 300 });
  });
  it('keeps allocating requests within the native safety limits', () => {
    const cap = BigInt(NATIVE_LIMITS.maxAllocPages) * 4096n;
    fc.assert(fc.property(sequenceArb({ mix: MIXED, maxLength: 60 }), (t) => {
      for (const op of resolveTemplates(t, NATIVE_LIMITS, linux618)) {
        if ((op.kind === 'fallocate' || op.kind === 'fdWatch') && (op.mode & FALLOC.PUNCH_HOLE) === 0) expect(op.len).toBeLessThan(cap + 4096n);
        if (op.kind === 'mmap') expect(op.length).toBeLessThanOrEqual(NATIVE_LIMITS.maxMapBytes);
        if (op.kind === 'setMemoryRegion') expect(op.size).toBeLessThanOrEqual(BigInt(NATIVE_LIMITS.maxSlotPages) * 4096n);
      }
    }), { numRuns: 300 });
  });
  it('never installs guard markers on a mapping a WP registration was asked for (the kernel may never return: MAP-30)', () => {
    const mix = { ...MIXED, uffdRegister: 20, madvise: 20 };
    let installs = 0;
    fc.assert(fc.property(sequenceArb({ mix, maxLength: 60 }), (t) => {
      const wp = new Set<number>();
      for (const op of resolveTemplates(t, NATIVE_LIMITS, linux618)) {
        if (op.kind === 'uffdRegister' && (op.mode & UFFD_MODE.WP) !== 0n) wp.add(op.map);
        if (op.kind === 'madvise' && op.advice === 'GUARD_INSTALL') {
          installs++;
          expect(wp.has(op.map)).toBe(false);
        }
      }
    }), { numRuns: 200 });
    expect(installs).toBeGreaterThan(0);
  });
});
