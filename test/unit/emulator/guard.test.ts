/**
 * MAP-30 guard markers on the emulator, judged by the spec and checked outcome by outcome: the
 * memfd scenario the native test runs, a private and a past-EOF guest_memfd page (SIGSEGV, not
 * SIGBUS), guest_memfd's punch dropping the markers over a folio another mapping maps, an mlocked
 * VMA ending the install, and a kernel without file-backed guard regions (P-GUARD-FILE=EINVAL).
 */
import { describe, expect, it } from 'vitest';
import { SPEC } from '../../../models/spec-api.js';
import { formatOp, formatOutcome, isAllowed, type Op, type Outcome, type Profile } from '../../../spec/vocab/index.js';
import { guardScenario } from '../../support/guard-scenario.js';
import { LINUX_618, MI, P, PUNCH, errno, falloc, gmem, load, lv, mmap, okv, run, store, vm, withProfile } from './_fixtures.js';

const madv = (map: number, offset: bigint, length: bigint, advice: Extract<Op, { kind: 'madvise' }>['advice']): Op => ({ kind: 'madvise', map, offset, length, advice });
const segv = (offset: bigint): Outcome => ({ kind: 'signal', signal: 'SIGSEGV', code: 'SEGV_MAPERR', offset });

/** Runs ops on the emulator; every step must be one the spec allows. */
const judged = async (profile: Profile, ops: readonly Op[], bugs: readonly string[] = []): Promise<Outcome[]> => {
  const out = await run(profile, ops, bugs);
  let s = SPEC.initialState(profile);
  ops.forEach((op, i) => {
    const v = SPEC.step(profile, s, op);
    expect(isAllowed(out[i]!, v.allowed), `step ${i + 1} ${formatOp(op)}: got ${formatOutcome(out[i]!)} [${v.rules.join(', ')}]`).toBe(true);
    s = v.next(out[i]!);
  });
  return out;
};

describe('emulator: guard markers (MAP-30)', () => {
  it('the memfd scenario: every step as the spec allows, markers fault SEGV_MAPERR until removed', async () => {
    const ops = guardScenario();
    const out = await judged(LINUX_618, ops);
    expect(out[8]).toEqual(segv(0n));
    expect(out[10]).toEqual(segv(3n * P));
    expect(out[13]).toEqual(lv(7));
    // GUP meets the marker: EFAULT (EIO through /proc/self/mem); a copy that starts before it is short.
    expect([14, 15, 16, 18, 19, 20, 21].map((i) => out[i]!.kind)).toEqual(Array(7).fill('errno'));
    expect(out[17]).toMatchObject({ kind: 'ok', value: { count: 4096 } });
    expect(out[ops.length - 2]).toEqual(lv(4));
  });

  it('a private and a past-EOF guest_memfd page give SIGSEGV under a marker, SIGBUS without', async () => {
    const ops = [vm(), gmem(0, 2n * P, 1n), mmap(0, 0, 4n * P), load(0, 0n), load(0, 3n * P), madv(0, 0n, 4n * P, 'GUARD_INSTALL'), load(0, 0n), store(0, 3n * P, 1),
      madv(0, 0n, 4n * P, 'GUARD_REMOVE'), load(0, 0n)];
    const out = await judged(LINUX_618, ops);
    expect(out[3]?.kind).toBe('signal');
    expect(out[3]).not.toEqual(segv(0n));
    expect(out.slice(5, 8)).toEqual([okv(), segv(0n), segv(3n * P)]);
    expect(out[9]).toEqual(out[3]);
  });

  it("guest_memfd's punch drops the markers over a folio another mapping maps, and keeps the rest", async () => {
    const ops = [vm(), gmem(0, 4n * P, MI), mmap(0, 0, 4n * P), mmap(1, 0, 4n * P), store(1, 0n, 9), store(0, 2n * P, 3),
      madv(0, 0n, 3n * P, 'GUARD_INSTALL'), falloc(0, PUNCH, 0n, 4n * P), load(0, 0n), load(0, P), load(0, 2n * P), load(1, 0n)];
    const out = await judged(LINUX_618, ops);
    // Page 0 was mapped by map 1: its marker went with the punch. Pages 1 and 2 (no other mapping) keep theirs.
    expect(out.slice(8)).toEqual([lv(0), segv(P), segv(2n * P), lv(0)]);
  });

  it('an mlocked VMA ends the install with EINVAL after the pages before it; GUARD_REMOVE works on it', async () => {
    const ops = [vm(), gmem(0, 4n * P, MI), mmap(0, 0, 4n * P), { kind: 'mlock', map: 0, offset: 2n * P, length: P, call: 'MLOCK', flags: 0 } as Op,
      madv(0, 0n, 4n * P, 'GUARD_INSTALL'), load(0, 0n), load(0, P), load(0, 2n * P), load(0, 3n * P), madv(0, 0n, 4n * P, 'GUARD_REMOVE'), load(0, 0n)];
    const out = await judged(LINUX_618, ops);
    expect(out.slice(4)).toEqual([errno('EINVAL'), segv(0n), segv(P), lv(0), lv(0), okv(), lv(0)]);
  });

  it('P-GUARD-FILE=EINVAL: a kernel before v6.15 refuses both advices on a file VMA, and nothing changes', async () => {
    const old = withProfile({ variants: { guardFile: 'EINVAL' } });
    const ops = [{ kind: 'createMemfd', id: 0, size: P } as Op, mmap(0, 0, P), store(0, 0n, 2), madv(0, 0n, P, 'GUARD_INSTALL'), load(0, 0n), madv(0, 0n, P, 'GUARD_REMOVE')];
    const out = await judged(old, ops);
    expect(out.slice(3)).toEqual([errno('EINVAL'), lv(2), errno('EINVAL')]);
  });
});
