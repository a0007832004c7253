/**
 * UFFDIO_POISON on the emulator (UFD-22), judged by the spec: the memfd scenario the native test
 * runs on this kernel, and the gmem answers — refused on 6.18 (no fill operations, UFD-1), a
 * marker with its SIGBUS under the uffd series.
 */
import { describe, expect, it } from 'vitest';
import { createEmulator } from '../../../adapters/emulator/index.js';
import { linux618, linux618NoGmem, resolveProfile } from '../../../spec/profiles/index.js';
import { UFFD_FEATURE, UFFD_MODE, err, ok } from '../../../spec/vocab/index.js';
import type { Op, Profile } from '../../../spec/vocab/index.js';
import { poisonScenario } from '../../support/uffdscan-ops.js';
import { runOps, specMismatches } from '../native/_support.js';

const P = 4096n;
const gmemOps = (features: bigint, mode: bigint): Op[] => [
  { kind: 'createVm', id: 0, type: 0n },
  { kind: 'createGmem', vm: 0, id: 0, size: 4n * P, flags: 3n, reserved: [] },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * P, prot: 3n, shared: true },
  { kind: 'uffdCreate', id: 0, features },
  { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: 4n * P, mode },
  { kind: 'uffdPoison', uffd: 0, map: 0, offset: 0n, length: P, mode: 0n },
  { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 1 },
  { kind: 'pagemap', map: 0, offset: 0n },
];

const judged = async (profile: Profile, ops: Op[]) => {
  const observed = await runOps(ops, createEmulator({ profile, seed: 1 }));
  expect(specMismatches(profile, ops, observed)).toEqual([]);
  return observed;
};

describe('UFFDIO_POISON on the emulator (judged by the spec)', () => {
  it('the memfd scenario agrees with linux-6.18-nogmem (a modelled CONFIG_MEMORY_FAILURE kernel: BUS_MCEERR_AR)', async () => {
    const observed = await judged(linux618NoGmem, poisonScenario());
    expect(observed[17]).toMatchObject({ kind: 'signal', signal: 'SIGBUS', code: 'BUS_MCEERR_AR' });
    expect(observed[22]).toEqual(err('EHWPOISON'));
  });
  it('a gmem VMA on 6.18 has no fill operations: EINVAL (UFD-1), the page loads as usual', async () => {
    const observed = await judged(linux618, gmemOps(UFFD_FEATURE.WP_ASYNC, UFFD_MODE.WP));
    expect(observed[5]).toEqual(err('EINVAL'));
    expect(observed[6]).toEqual(ok({ value: 0 }));
  });
  it('under the uffd series a gmem page takes the marker: SIGBUS, pagemap SWAP', async () => {
    const observed = await judged(resolveProfile('uffd-v2'), gmemOps(0n, UFFD_MODE.MISSING));
    expect(observed[5]).toEqual(ok({ count: 4096 }));
    expect(observed[6]).toMatchObject({ kind: 'signal', signal: 'SIGBUS' });
    expect(observed[7]).toMatchObject({ kind: 'ok', value: { swap: true, present: false } });
  });
});
