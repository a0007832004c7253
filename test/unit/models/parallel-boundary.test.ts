/**
 * Why this test? A parallel case arrives from outside too — a gmp1. token pasted from a mailing
 * list, a parallel trace.json — and the native target runs its branches on threads in this
 * process. The boundary refuses, before anything runs: ops that fail the op check, branch ops that
 * create or destroy handles or cover more than a page, too many branches or ops, malformed
 * schedules, seeds and bug lists, oversized or corrupt tokens; errors name the problem.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE as P, type Op } from '../../../spec/vocab/index.js';
import { pack } from '../../../spec/vocab/codec.js';
import { caseProblem, type ParallelCase } from '../../../models/parallel/case.js';
import { decodeParallelToken, parallelToken, PAR_TOKEN_PREFIX } from '../../../models/report/parallel/token.js';
import { validateParallelTrace } from '../../../models/report/parallel/trace.js';
import { linux618 } from '../../../spec/profiles/index.js';

const load: Op = { kind: 'load', map: 0, offset: 0n, onUserfault: 'COPY', fill: 0 };
const good: ParallelCase = {
  prefix: [{ kind: 'createMemfd', id: 0, size: P }, { kind: 'mmap', fd: 0, id: 0, offset: 0n, length: P, prot: 3n, shared: true }],
  branches: [[load], [{ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: P }]],
};

describe('the parallel case boundary', () => {
  it('accepts a well-formed case', () => expect(caseProblem(good)).toBeUndefined());

  it.each<[string, unknown, RegExp]>([
    ['not an object', 'x', /an object/],
    ['no branches', { prefix: [], branches: [] }, /1 to 3 branches/],
    ['four branches', { prefix: [], branches: [[load], [load], [load], [load]] }, /1 to 3 branches/],
    ['five ops in a branch', { prefix: [], branches: [[load, load, load, load, load]] }, /1 to 4 ops/],
    ['a creating op in a branch', { prefix: [], branches: [[{ kind: 'mmap', fd: 0, id: 1, offset: 0n, length: P, prot: 3n, shared: true }]] }, /cannot run in a branch/],
    ['a destroying op in a branch', { prefix: [], branches: [[{ kind: 'munmap', map: 0 }]] }, /cannot run in a branch/],
    ['a two-page punch in a branch', { prefix: [], branches: [[{ kind: 'fallocate', fd: 0, mode: 3, offset: 0n, len: 2n * P }]] }, /at most 4096/],
    ['an access range crossing a page', { prefix: [], branches: [[{ kind: 'kernelAccess', map: 0, offset: 4095n, len: 2, call: 'process_vm_readv', value: 0 }]] }, /crosses a page/],
    // The native branch runner and the split points know the remote side of process_vm_* only.
    ['a vmsplice in a branch', { prefix: [], branches: [[{ kind: 'kernelAccess', map: 0, offset: 0n, len: 1, call: 'vmsplice', value: 0 }]] }, /only process_vm_readv and process_vm_writev/],
    ['a malformed op', { prefix: [{ kind: 'load', map: 0 }], branches: [[load]] }, /prefix\[0\]/],
    ['an unknown kind', { prefix: [], branches: [[{ kind: 'reboot' }]] }, /unknown kind/],
    ['an oversized prefix', { prefix: Array(201).fill(load), branches: [[load]] }, /at most 200/],
  ])('refuses %s', (_name, c, why) => expect(caseProblem(c)).toMatch(why));

  it('round-trips a token and refuses hostile ones with a reason', () => {
    const t = parallelToken({ profile: 'linux-6.18', case: good, schedule: [0, 1, 2], targetSeed: 5, bugs: ['race-copy-copy'] });
    expect(decodeParallelToken(t)).toMatchObject({ profile: 'linux-6.18', schedule: [0, 1, 2], targetSeed: 5, bugs: ['race-copy-copy'] });
    const tok = (v: unknown): string => PAR_TOKEN_PREFIX + pack(v);
    expect(() => decodeParallelToken('gmc1.abc')).toThrow(/must start with 'gmp1.'/);
    expect(() => decodeParallelToken(`${PAR_TOKEN_PREFIX}!!!`)).toThrow(/corrupt/);
    expect(() => decodeParallelToken(tok({ profile: 7, case: good }))).toThrow(/profile/);
    expect(() => decodeParallelToken(tok({ profile: 'x', case: { ...good, branches: [[{ kind: 'close', fd: 0 }]] } }))).toThrow(/invalid case/);
    expect(() => decodeParallelToken(tok({ profile: 'x', case: good, schedule: [9] }))).toThrow(/schedule/);
    expect(() => decodeParallelToken(tok({ profile: 'x', case: good, schedule: Array(20_001).fill(0) }))).toThrow(/schedule/);
    expect(() => decodeParallelToken(tok({ profile: 'x', case: good, targetSeed: 1.5 }))).toThrow(/seed/);
    expect(() => decodeParallelToken(tok({ profile: 'x', case: good, bugs: ['../etc'] }))).toThrow(/bug list/);
    expect(() => decodeParallelToken(tok({ profile: 'x', case: good, pad: 'a'.repeat(9 << 20) }))).toThrow(/inflates to more than/);
  });

  it('a parallel trace is checked before replay', () => {
    const trace = {
      schema: 'gmemcheck-parallel-trace/1', target: 'native', release: 'x', stateAfterPrefix: '', bugs: [], profile: linux618, case: good,
      branches: [[{ observed: { kind: 'ok' } }], [{ observed: { kind: 'ok' } }]],
    };
    expect(() => validateParallelTrace(trace)).not.toThrow();
    expect(() => validateParallelTrace({ ...trace, schema: 'gmemcheck-trace/1' })).toThrow(/schema/);
    expect(() => validateParallelTrace({ ...trace, branches: [[{ observed: { kind: 'ok' } }]] })).toThrow(/one list per branch/);
    expect(() => validateParallelTrace({ ...trace, branches: [[{ observed: { kind: 'nope' } }], [{ observed: { kind: 'ok' } }]] })).toThrow(/not an outcome/);
    expect(() => validateParallelTrace({ ...trace, case: { ...good, branches: [[{ kind: 'munmap', map: 0 }]] } })).toThrow(/case:/);
    expect(() => validateParallelTrace({ ...trace, schedule: [0, 7] })).toThrow(/schedule/);
  });
});
