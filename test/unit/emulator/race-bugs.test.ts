/**
 * The race zoo (adapters/emulator/race-bugs.ts), each on its shortest known parallel case: with the
 * kernel's locking every interleaving the scheduler picks is explained by the spec; with the bug
 * some interleaving is not, the parallel property's check says so, and the failure replays exactly
 * — same outcomes, still unexplained — from its gmp1. token (the case and the recorded schedule),
 * through the API and through `gmemcheck replay <token>` as a user runs it.
 * The generator finding them on its own is `npm run mutants` (MUTANTS.md) and
 * properties/emulator/race-zoo.prop.test.ts.
 */
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE as P, type Op } from '../../../spec/vocab/index.js';
import { resolveProfile } from '../../../spec/profiles/index.js';
import { createEmulator, RACE_BUGS } from '../../../adapters/emulator/index.js';
import { SPEC } from '../../../models/spec-api.js';
import { runCase } from '../../../models/parallel/run.js';
import type { ParallelCase } from '../../../models/parallel/case.js';
import { caseProblem } from '../../../models/parallel/case.js';
import { decodeParallelToken, parallelToken } from '../../../models/report/parallel/token.js';
import { inProcess } from '../cli/run-cli.js';

const R = [0n, 0n, 0n, 0n, 0n, 0n];
const vm = (type = 0): Op => ({ kind: 'createVm', id: 0, type: BigInt(type) });
const gmem = (pages = 1n): Op => ({ kind: 'createGmem', vm: 0, id: 0, size: pages * P, flags: 3n, reserved: R });
const map = (id: number, pages = 1n): Op => ({ kind: 'mmap', fd: 0, id, offset: 0n, length: pages * P, prot: 3n, shared: true });
const load = (m: number, offset = 0n, how: 'COPY' | 'CONTINUE' = 'COPY'): Op => ({ kind: 'load', map: m, offset, onUserfault: how, fill: 0 });
const store = (m: number, value: number, offset = 0n, how: 'COPY' | 'CONTINUE' = 'COPY'): Op => ({ kind: 'store', map: m, offset, value, onUserfault: how, fill: 0 });
const punch: Op = { kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P };
const conv = (toPrivate: boolean, pages = 1n): Op => ({ kind: 'convert', fd: 0, api: 'GMEM-ATTR2', offset: 0n, len: pages * P, toPrivate, errorOffsetIn: 0n });
const uffd: Op = { kind: 'uffdCreate', id: 0, features: 0n };
const reg = (mode: bigint): Op => ({ kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode });
const dontneed: Op = { kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'DONTNEED' };
const resolve = (how: 'COPY' | 'CONTINUE', fill = 0): Op => ({ kind: 'uffdResolve', uffd: 0, how, map: 0, offset: 0n, length: P, fill });

/**
 * Cases of each race bug: the one its story in race-bugs.ts tells first, then any shorter one
 * shrinking found (the shortest is the bug's `shortest`).
 */
const CASES: Readonly<Record<string, readonly ParallelCase[]>> = {
  'race-fault-punch-stale': [{ prefix: [vm(), gmem(), map(0)], branches: [[punch], [store(0, 1), punch, { kind: 'mincore', map: 0, offset: 0n, pages: 1 }]] }],
  'race-fault-clear-twice': [{ prefix: [vm(), gmem(), map(0)], branches: [[store(0, 1, 5n)], [load(0), load(0, 5n)]] }],
  'race-convert-fault-pte': [{ prefix: [vm(1), gmem(), map(0)], branches: [[load(0), load(0)], [conv(true)]] }],
  'race-convert-torn': [
    { prefix: [vm(1), gmem(2n), map(0, 2n)], branches: [[conv(true, 2n), load(0)], [conv(false, 2n), load(0, P)]] },
    { prefix: [vm(1), gmem(), map(0)], branches: [[store(0, 1)], [conv(true)], [store(0, 1)]] },
  ],
  'race-continue-punch': [
    { prefix: [vm(), gmem(), map(0), map(1), store(1, 7), uffd, reg(4n)], branches: [[resolve('CONTINUE'), load(0, 0n, 'CONTINUE')], [punch]] },
    { prefix: [vm(), gmem(), map(0), load(0), uffd, reg(4n), dontneed], branches: [[resolve('CONTINUE')], [store(0, 1, 0n, 'CONTINUE')]] },
  ],
  'race-copy-copy': [{ prefix: [vm(), gmem(), map(0), uffd, reg(1n)], branches: [[resolve('COPY', 1)], [resolve('COPY', 2)]] }],
};
const size = (c: ParallelCase): number => c.prefix.length + c.branches.flat().length;

const SCHEDULES = 300;

describe('race zoo: every bug is caught by the parallel check on its shortest case, and replays from its token', () => {
  for (const bug of RACE_BUGS) {
    it(`${bug.id}: ${bug.description}`, async () => {
      const cases = CASES[bug.id]!;
      expect(Math.min(...cases.map(size))).toBe(bug.shortest);
      for (const c of cases) await caught(bug, c);
    });
  }
});

const caught = async (bug: (typeof RACE_BUGS)[number], c: ParallelCase): Promise<void> => {
      expect(caseProblem(c)).toBeUndefined();
      const profile = resolveProfile(bug.profile);
      const rng = seedrandom(bug.id);
      const choices = (): number[] => Array.from({ length: 48 }, () => Math.floor(rng() * 12));
      const run = async (bugs: string[], o: { choices?: number[]; schedule?: readonly number[] }) => runCase(SPEC, profile, createEmulator({ profile, seed: 1, bugs }), c, o);
      // The kernel's locking: every interleaving explained.
      for (let i = 0; i < SCHEDULES; i++) {
        const r = await run([], { choices: choices() });
        expect(r.prefixFailure).toBeUndefined();
        expect(r.lin?.ok, `correct emulator, schedule ${r.schedule?.join('')}`).toBe(true);
      }
      // The bug: some interleaving is not explained.
      let failing: Awaited<ReturnType<typeof run>> | undefined;
      for (let i = 0; i < SCHEDULES && failing === undefined; i++) {
        const r = await run([bug.id], { choices: choices() });
        if (r.lin?.ok === false) failing = r;
      }
      expect(failing, `no interleaving of ${SCHEDULES} showed ${bug.id}`).toBeDefined();
      expect(failing!.lin?.ok === false && failing!.lin.exhausted).toBe(true);
      // Replays exactly from its token.
      const token = parallelToken({ profile: profile.name, case: c, schedule: failing!.schedule!, targetSeed: 1, bugs: [bug.id] });
      const back = decodeParallelToken(token);
      const again = await run([...back.bugs!], { schedule: back.schedule! });
      expect(again.branches.map((b) => b.map((s) => s.observed))).toEqual(failing!.branches.map((b) => b.map((s) => s.observed)));
      expect(again.lin?.ok).toBe(false);
      expect(again.diverged).toBeUndefined();
      // And as a user replays it: `gmemcheck replay <token>` reproduces it (exit 1).
      const cli = await inProcess(['replay', token]);
      expect(cli.code, cli.stdout + cli.stderr).toBe(1);
      expect(cli.stdout).toMatch(/^reproduced: no interleaving explains the outcomes$/m);
      expect(cli.stdout).not.toMatch(/stopped fitting/);
};
