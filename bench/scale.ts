/**
 * Scale: the cost of one operation on a 4 KiB file versus a 1 TiB file fragmented into thousands
 * of ranges (allocated / data / hole alternating). Range-based state should make it grow at most
 * logarithmically with the number of ranges and not at all with the file size.
 */
import type { Op } from '../spec/vocab/index.js';
import { FALLOC } from '../spec/vocab/index.js';
import { createEmulator } from '../adapters/emulator/index.js';
import { outcomeEqual } from '../spec/vocab/index.js';
import { SPEC } from '../models/spec-api.js';
import { linux618 } from '../spec/profiles/index.js';
import { now } from './measure.js';
import { PAGE_SIZE as P } from '../spec/vocab/handles.js';

const KEEP = FALLOC.KEEP_SIZE;
const PUNCH = FALLOC.KEEP_SIZE | FALLOC.PUNCH_HOLE;

/** A tiny deterministic LCG: the benchmark's own fixed workload, not a test input. */
const lcg = (seed: number) => () => (seed = (seed * 1103515245 + 12345) >>> 0);

const setup = (size: bigint, ranges: number): Op[] => {
  const ops: Op[] = [
    { kind: 'createVm', id: 0, type: 0 },
    { kind: 'createGmem', vm: 0, id: 0, size, flags: 3n, reserved: [0n, 0n, 0n, 0n, 0n, 0n] },
    { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: size < (1n << 40n) ? size : 1n << 40n, prot: 3, shared: true },
  ];
  // Every third page: allocated, written, or left a hole, so each page is its own range.
  for (let i = 0; i < ranges; i++) {
    const page = BigInt(i) * 3n * 1021n;
    ops.push({ kind: 'fallocate', fd: 0, mode: KEEP, offset: page * P, len: P });
    if (i % 2 === 0) ops.push({ kind: 'store', map: 0, offset: page * P + 7n, value: i & 0xff, onUserfault: 'COPY', fill: 0 });
  }
  return ops;
};

const workload = (pages: bigint, n: number): Op[] => {
  const r = lcg(42);
  return Array.from({ length: n }, (_, i): Op => {
    const off = (BigInt(r()) * BigInt(r()) % pages) * P;
    switch (i % 4) {
      case 0: return { kind: 'load', map: 0, offset: off + 7n, onUserfault: 'COPY', fill: 0 };
      case 1: return { kind: 'store', map: 0, offset: off + 9n, value: i & 0xff, onUserfault: 'COPY', fill: 0 };
      case 2: return { kind: 'fallocate', fd: 0, mode: PUNCH, offset: off, len: P };
      default: return { kind: 'fallocate', fd: 0, mode: KEEP, offset: off, len: P };
    }
  });
};

/** Microseconds per spec-checked op of the workload, after the setup ops. */
export const perOpMicros = async (size: bigint, ranges: number, n = 20_000): Promise<number> => {
  const target = createEmulator({ profile: linux618, seed: 1 });
  let state = SPEC.initialState(linux618);
  const run = async (ops: Op[]) => {
    for (const op of ops) {
      const v = SPEC.step(linux618, state, op);
      const o = await target.apply(op);
      if (!v.allowed.some((a) => outcomeEqual(a, o))) throw new Error(`scale benchmark diverged at ${op.kind}`);
      state = v.next(o);
    }
  };
  await run(setup(size, ranges));
  const pages = size / P < (1n << 40n) / P ? size / P : (1n << 40n) / P;
  const work = workload(pages, n);
  const t0 = now();
  await run(work);
  return ((now() - t0) * 1000) / n;
};
