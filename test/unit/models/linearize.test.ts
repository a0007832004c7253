/**
 * The linearizability check on hand-made parallel cases whose answer is known: which observations
 * some interleaving explains, which none does, what real-time order rules out, and that a search
 * that runs out of budget is undecided rather than a pass.
 */
import { describe, expect, it } from 'vitest';
import { err, ok, sigbus, type Op, type Outcome } from '../../../spec/vocab/index.js';
import { linux618 } from '../../../spec/profiles/index.js';
import { SPEC, type SpecState } from '../../../models/spec-api.js';
import { linearize, type BranchStep, type Placed } from '../../../models/parallel/linearize.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/handles.js';

const prefix: Op[] = [
  { kind: 'createVm', id: 0, type: 0n },
  { kind: 'createGmem', vm: 0, id: 0, size: 2n * P, flags: 3n, reserved: [] },
  { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: 3n * P, prot: 3n, shared: true }, // one page past EOF
];
const after = (ops: readonly Op[]): SpecState =>
  ops.reduce((s, op) => SPEC.step(linux618, s, op).next(ok()), SPEC.initialState(linux618));

const store = (offset: bigint, value: number): Op => ({ kind: 'store', map: 0, offset, value, onUserfault: 'COPY', fill: 0 });
const load = (offset: bigint): Op => ({ kind: 'load', map: 0, offset, onUserfault: 'COPY', fill: 0 });
const punch = (page: bigint): Op => ({ kind: 'fallocate', fd: 0, mode: 3, offset: page * P, len: P });
const step = (op: Op, observed: Outcome, start?: number, end?: number): BranchStep =>
  ({ op, observed, ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) });
const check = (branches: BranchStep[][], budget?: number) =>
  linearize({ spec: SPEC, profile: linux618, state: after(prefix), branches, ...(budget === undefined ? {} : { budget }) });
/** Where each op took effect: its access point (loads and stores also have an internal fault-in point). */
const opOrder = (order: readonly Placed[]): [number, number][] =>
  order.filter((p) => p[2] === undefined || p[2] === 'access').map(([b, i]) => [b, i]);

describe('linearize', () => {
  it('a load seeing either the old or the new byte of a concurrent store is explained', () => {
    for (const seen of [0, 7]) {
      const r = check([[step(store(5n, 7), ok())], [step(load(5n), ok({ value: seen }))]]);
      expect(r.ok, `load saw ${seen}`).toBe(true);
      if (r.ok) expect(opOrder(r.order)).toEqual(seen === 7 ? [[0, 0], [1, 0]] : [[1, 0], [0, 0]]);
    }
  });

  it('a byte nobody wrote is not explained; the report names what each branch allowed', () => {
    const r = check([[step(store(5n, 7), ok())], [step(load(5n), ok({ value: 9 }))]]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.exhausted).toBe(true);
    // The deepest attempt placed the store; the load could then only have read 7.
    expect(opOrder(r.deepest)).toEqual([[0, 0]]);
    expect(r.blocked).toEqual([expect.objectContaining({ branch: 1, index: 0, point: 'access', allowed: [ok({ value: 7 })] })]);
  });

  it('real time rules out an order: a store that ended before the load began must be seen', () => {
    expect(check([[step(store(5n, 7), ok(), 0, 10)], [step(load(5n), ok({ value: 0 }), 20, 30)]]).ok).toBe(false);
    expect(check([[step(store(5n, 7), ok(), 0, 25)], [step(load(5n), ok({ value: 0 }), 20, 30)]]).ok).toBe(true);
  });

  it('a punch racing a store and a load: old data, new data or zeroes, but never data after the zeroes in one branch', () => {
    // Branch 1 reads page 0 twice. Zeroes then 7 needs the store between the loads, after the punch.
    const explained = check([
      [step(store(0n, 7), ok())], [step(punch(0n), ok())],
      [step(load(0n), ok({ value: 0 })), step(load(0n), ok({ value: 7 }))],
    ]);
    expect(explained.ok).toBe(true);
    // 7, then 0, then 7 again is impossible with one store.
    const impossible = check([
      [step(store(0n, 7), ok())], [step(punch(0n), ok())],
      [step(load(0n), ok({ value: 7 })), step(load(0n), ok({ value: 0 })), step(load(0n), ok({ value: 7 }))],
    ]);
    expect(impossible.ok).toBe(false);
  });

  it('errors are outcomes like any other: a load past EOF is SIGBUS in every order', () => {
    expect(check([[step(load(2n * P), sigbus(2n * P))], [step(store(0n, 1), ok())]]).ok).toBe(true);
    expect(check([[step(load(2n * P), ok({ value: 0 }))], [step(store(0n, 1), ok())]]).ok).toBe(false);
    expect(check([[step(punch(0n), err('EINVAL'))]]).ok).toBe(false);
  });

  it('program order inside a branch is kept', () => {
    // One branch stores 1 then 2; another reads 2 then 1: that needs the stores reordered.
    const r = check([[step(store(0n, 1), ok()), step(store(0n, 2), ok())], [step(load(0n), ok({ value: 2 })), step(load(0n), ok({ value: 1 }))]]);
    expect(r.ok).toBe(false);
  });

  it('a search that runs out of budget is undecided, not a pass', () => {
    const branch = (v: number): BranchStep[] => [0, 1, 2, 3].map(() => step(store(0n, v), ok()));
    const reader = [step(load(0n), ok({ value: 9 }))];
    const r = check([branch(1), branch(2), reader], 10);
    expect(r).toMatchObject({ ok: false, exhausted: false });
  });

  it('memoisation keeps a wide failing case cheap', () => {
    // 3 branches × 4 ops: 34,650 orders of the ops, and each access is three points (internal
    // fault-in and map, then the access), the fault-in taken in up to three ways: millions of
    // paths. Equal states after commuting stores on distinct pages merge. The impossible read
    // comes last, so every order of the other eleven ops is tried first.
    const writer = (page: bigint, base: number): BranchStep[] => [1, 2, 3, 4].map((v) => step(store(page * P + BigInt(base + v), v), ok()));
    const r = check([writer(0n, 0), writer(1n, 0), [...writer(0n, 4).slice(0, 3), step(load(100n), ok({ value: 9 }))]]);
    expect(r).toMatchObject({ ok: false, exhausted: true });
    if (!r.ok) expect(r.explored).toBeLessThan(10_000);
  });

  it('the monitor\'s unregister after a failed resolve may come after the access returned (a detached point)', () => {
    // memfd page registered MISSING|MINOR. A store faults; another thread's COPY fills the page and
    // wakes it, so the monitor's ZEROPAGE is EEXIST and it unregisters the page — possibly after
    // the store returned: a COPY issued after the store ended may still find it registered (EEXIST).
    const pre: Op[] = [
      { kind: 'createMemfd', id: 0, size: P }, { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true },
      { kind: 'uffdCreate', id: 0, features: 0n }, { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 5n },
    ];
    const copy: Op = { kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill: 0xaa };
    const faulting: Op = { kind: 'store', map: 0, offset: 0n, value: 82, onUserfault: 'ZEROPAGE', fill: 0 };
    const uf: Outcome = { kind: 'uffd', event: { write: true, minor: false, wp: false, offset: 0n }, resolve: err('EEXIST'), access: ok() };
    const run = (second: Outcome) => linearize({
      spec: SPEC, profile: linux618, state: after(pre),
      branches: [[step(copy, ok({ count: 4096 }), 9, 20), step(copy, second, 21, 33)], [step(faulting, uf, 0, 18)]],
    });
    expect(run(err('EEXIST')).ok).toBe(true);
    expect(run(err('ENOENT')).ok).toBe(true);
    expect(run(ok({ count: 4096 })).ok).toBe(false);
  });

  it('a COPY puts the folio in the page cache before it maps it: a MINOR-registered GUP in between fails (GEN-MFILL-SPLIT)', () => {
    // Measured on 6.18 shmem: POPULATE_READ racing a COPY of the page, registered MINOR just before, got EFAULT.
    const pre: Op[] = [
      { kind: 'createMemfd', id: 0, size: P }, { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true },
      { kind: 'uffdCreate', id: 0, features: 0n },
    ];
    const register: Op = { kind: 'uffdRegister', uffd: 0, map: 0, offset: 0n, length: P, mode: 4n };
    const copy: Op = { kind: 'uffdResolve', uffd: 0, how: 'COPY', map: 0, offset: 0n, length: P, fill: 0 };
    const populate: Op = { kind: 'madvise', map: 0, offset: 0n, length: P, advice: 'POPULATE_READ' };
    const run = (copyEnd: number) => linearize({
      spec: SPEC, profile: linux618, state: after(pre),
      branches: [[step(register, ok(), 0, 2935), step(copy, ok({ count: 4096 }), 3043, copyEnd)], [step(populate, err('EFAULT'), 2070, 10107)]],
    });
    expect(run(7977).ok).toBe(true);
    // A COPY that ended before the populate began had mapped the page: nothing to fault, no EFAULT.
    expect(linearize({
      spec: SPEC, profile: linux618, state: after(pre),
      branches: [[step(register, ok(), 0, 100), step(copy, ok({ count: 4096 }), 200, 300)], [step(populate, err('EFAULT'), 400, 500)]],
    }).ok).toBe(false);
  });
});
