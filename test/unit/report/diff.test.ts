/**
 * `diff` between linux-6.18 and upstream on the emulator must find the two differences every
 * reviewer of those kernels knows (kernel-rules.md §4): SLOT-7's bind-overlap errno (P-BIND-OVERLAP)
 * and the mempolicy scope (P-POL-SCOPE: POL-1′ VMA-local on 6.18 vs the inode policy upstream),
 * each with a short sequence. The emulator is fast, so many runs keep this robust to generator changes.
 */
import { describe, expect, it } from 'vitest';
import { ALL_MIXES, diffPair } from '../../../models/diff/diff.js';
import { formatDiffReport } from '../../../models/diff/format.js';
import { openSide, parseSide } from '../../../models/diff/side.js';

describe('diff linux-6.18 vs upstream on the emulator', () => {
  it('finds SLOT-7 and the POL-1′ mempolicy scope with short distinguishing sequences', async () => {
    const pair = { a: await openSide(parseSide('emulator:linux-6.18')), b: await openSide(parseSide('emulator:upstream')) };
    const mixes = ALL_MIXES.filter((m) => m.name === 'memslot' || m.name === 'mempolicy');
    const r = await diffPair(pair, { mixes, numRuns: 1500, maxLength: 25, seed: 2, keep: 1, shrinkTimeLimitMs: 5_000 });
    const byKey = new Map(r.diffs.map((d) => [d.key, d.difference]));

    const slot = byKey.get('SLOT-7');
    expect(slot, formatDiffReport(r)).toBeDefined();
    expect(slot!.index + 1).toBeLessThanOrEqual(6);
    expect(slot!.a.allowed).toEqual([{ kind: 'errno', errno: 'EINVAL' }]);
    expect(slot!.b.allowed).toEqual([{ kind: 'errno', errno: 'EEXIST' }]);

    // 6.18 keeps the policy on the VMA (gone after munmap: default policy); upstream on the inode.
    const pol = [...byKey].find(([k]) => k.includes('POL-1′'))?.[1];
    expect(pol, formatDiffReport(r)).toBeDefined();
    expect(pol!.index + 1).toBeLessThanOrEqual(8);
    expect(pol!.a.allowed).toEqual([{ kind: 'ok', value: { mode: 0, nodes: 0 } }]);
    expect(pol!.b.allowed).not.toEqual(pol!.a.allowed);

    const text = formatDiffReport(r);
    expect(text).toContain('A = emulator:linux-6.18');
    expect(text).toMatch(/── SLOT-7: allowed sets differ/);
  }, 30_000);
});
