/**
 * set_mempolicy_home_node (POL-23) on memfd and KVM_SET_USER_MEMORY_REGION2 with pads (SLOT-20) on
 * plain slots, on this machine's kernel through the native target — each step judged by the spec
 * (linux-6.18-nogmem). The gmem answers rest on kernel source (spec/catalogue/surface-homeslot-rules.ts).
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { MPOL, err, type Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { home, homeNodeScenario, memslotPadScenario } from './_homeslot-scenario.js';

const P = 4096n;

describeNative('set_mempolicy_home_node and the memslot pads on this kernel (judged by the spec)', () => {
  it('every home-node call on a memfd mapping answers as linux-6.18-nogmem allows', async () => {
    const ops = homeNodeScenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    // Each answer the rule names was met: EINVAL, ENOENT, EOPNOTSUPP and 0 after a BIND.
    for (const e of ['EINVAL', 'ENOENT', 'EOPNOTSUPP'] as const) expect(observed).toContainEqual(err(e));
    expect(observed[ops.findIndex((o) => o.kind === 'mbind') + 1]).toEqual({ kind: 'ok' });
  });

  it('a range past the mapping reaches no other VMA: a BIND mapping above or below is not given a home node', async () => {
    const ops: Op[] = [
      { kind: 'createMemfd', id: 0, size: 4n * P }, { kind: 'createMemfd', id: 1, size: 4n * P },
      { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true },
      { kind: 'mmap', fd: 1, id: 1, offset: 0n, length: 4n * P, prot: 3n, shared: true },
      { kind: 'mbind', map: 1, offset: 0n, length: 4n * P, mode: BigInt(MPOL.BIND), nodes: 1n, flags: 0 },
      home(0, 0n, 1n << 40n), home(0, -(1n << 40n), (1n << 41n) + 4n * P), home(0, 0n, 1n << 63n),
      { kind: 'smaps', map: 1, offset: 0n },
    ];
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    // map 1's BIND VMA would answer 0 (and split at the range's end) had the kernel walked it.
    expect(observed.slice(5, 8)).toEqual([err('ENOENT'), err('ENOENT'), err('ENOENT')]);
    expect(observed[8]).toMatchObject({ kind: 'ok', value: { start: 0n, end: 4n * P } });
  });

  it('a memslot with pad words set answers as with zero pads (plain slots on kvm_pvm)', async () => {
    const ops = memslotPadScenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    expect(observed[3]).toEqual({ kind: 'ok' });
  });
});
