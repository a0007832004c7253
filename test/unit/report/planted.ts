/**
 * A report column with a planted emulator bug and a deterministic failure to draw: the domain
 * property runs for real (matrix cells, hit counts), and the bug's hand-written counterexample
 * (adapters/emulator/bugs.ts: createVm; G(MI); mmap; load → SIGBUS instead of 0) supplies the
 * failure, so the picture does not depend on which disagreement the generator happens to find first.
 */
import { linux618 } from '../../../spec/profiles/index.js';
import type { Op } from '../../../spec/vocab/index.js';
import { lockstep } from '../../../models/lockstep.js';
import { SPEC } from '../../../models/spec-api.js';
import { setupTarget } from '../../../cli/targets.js';
import { runColumn } from '../../../models/html/run-column.js';
import type { ColumnResult } from '../../../models/html/results.js';

export const PLANTED_BUG = 'init-shared-ignored';

const COUNTEREXAMPLE: readonly Op[] = [
  { kind: 'createVm', id: 0, type: 0 },
  { kind: 'createGmem', vm: 0, id: 0, size: 4n * 4096n, flags: 3n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] },
  { kind: 'fallocate', fd: 0, mode: 1, offset: 4096n, len: 4096n },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 4n * 4096n, prot: 3, shared: true },
  { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 },
];

export const plantedColumn = async (): Promise<ColumnResult> => {
  const r = await setupTarget('emulator', { profile: linux618, bugs: [PLANTED_BUG] });
  if (!r.ok) throw new Error(r.reason);
  const column = await runColumn(`emulator:linux-6.18 [bugs ${PLANTED_BUG}]`, r.setup, { domains: ['mmap', 'creation'], numRuns: 15, maxLength: 15, seed: 1 });
  const target = await r.setup.makeTarget(1);
  const { failure } = await lockstep(SPEC, linux618, target, COUNTEREXAMPLE);
  await target.close();
  if (!failure) throw new Error(`bug ${PLANTED_BUG} did not change the counterexample's outcome`);
  const mmap = column.domains.find((d) => d.domain === 'mmap')!;
  return { ...column, domains: column.domains.map((d) => (d === mmap ? { ...d, status: 'fail', failure } : d)) };
};
