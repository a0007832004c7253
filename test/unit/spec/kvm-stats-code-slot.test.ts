/**
 * LVL-10 and the target's own code memslot: a guest access runs guest code from a memslot outside
 * the vocabulary, whose page the MMU maps, so after one the VM's pages_4k may be non-zero with no
 * memslot of the sequence's. Found by `gmemcheck vm` on Debian 7.2.13 (guest domain, seed 1):
 * createVm, a guest access to an unbacked GPA (an MMIO exit), then the VM's stats showed pages_4k
 * non-zero. Before any guest ran, a VM without memslots still counts nothing.
 */
import { describe, expect, it } from 'vitest';
import { resolveProfile } from '../../../spec/profiles/index.js';
import type { Op, Outcome } from '../../../spec/vocab/index.js';
import { driver } from './helpers.js';

const stats: Op = { kind: 'kvmStats', on: { kind: 'vm', vm: 0 }, at: 'end', write: 'write' } as Op;
const small = (o: Outcome): unknown => (o.kind === 'ok' ? (o.value as { pages?: { small: boolean } | null }).pages?.small : undefined);

describe('LVL-10: pages_4k after a guest ran from the target\'s code slot', () => {
  it('no guest yet: a VM without memslots counts nothing', () => {
    const d = driver(resolveProfile('upstream'));
    d.one({ kind: 'createVm', id: 0, type: 0n } as Op);
    expect(d.do(stats).allowed.map(small)).toEqual([false]);
  });
  it('after a guest access: the code page may be counted', () => {
    const d = driver(resolveProfile('upstream'));
    d.one({ kind: 'createVm', id: 0, type: 0n } as Op);
    d.one({ kind: 'guestAccess', vm: 0, gpa: 0n, write: false, value: 0 } as Op);
    expect(d.do(stats).allowed.map(small).sort()).toEqual([false, true]);
  });
});
