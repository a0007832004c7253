/**
 * UFD-21 on the emulator: the PAGEMAP_SCAN write-protect scenario on gmem (6.18: WP alone
 * registers there under WP_ASYNC) and on memfd, each step judged by the spec and pinned to the
 * answers measured on 6.18.44 memfd; the spec refuses what each UFD-21 zoo bug answers.
 */
import { describe, expect, it } from 'vitest';
import { SPEC } from '../../../models/spec-api.js';
import { formatOutcome, isAllowed, type Op, type Outcome, type Profile } from '../../../spec/vocab/index.js';
import { SCANWP_EXPECT, scanWpOps } from '../../support/scanwp-ops.js';
import { gmem, judged, LINUX_618, P, run, vm } from './_fixtures.js';

const GMEM: Op[] = [vm(), gmem(0, 8n * P), ...scanWpOps()];
const MEMFD: Op[] = [{ kind: 'createMemfd', id: 0, size: 8n * P }, ...scanWpOps()];

/** The first step whose outcome the spec refuses (-1: none). */
const firstRefused = (p: Profile, ops: readonly Op[], got: readonly Outcome[]): number => {
  let s = SPEC.initialState(p);
  for (let i = 0; i < ops.length; i++) {
    const v = SPEC.step(p, s, ops[i]!);
    if (!isAllowed(got[i]!, v.allowed)) return i;
    s = v.next(got[i]!);
  }
  return -1;
};

describe('UFD-21: PAGEMAP_SCAN write protection over an async-WP range (emulator, judged by the spec)', () => {
  it.each([['gmem', GMEM, 2], ['memfd', MEMFD, 1]] as const)('%s: every step allowed and as measured', async (_n, ops, head) => {
    const got = await judged(LINUX_618, ops);
    for (const [i, want] of Object.entries(SCANWP_EXPECT)) expect(formatOutcome(got[Number(i) + head]!), `step ${i}`).toBe(want);
  });

  it.each([['scanwp-gmem-no-reprotect', 8], ['scanwp-gmem-protect-past-cap', 13]] as const)('the spec refuses what %s answers', async (bug, step) => {
    const got = await run(LINUX_618, GMEM, [bug]);
    expect(firstRefused(LINUX_618, GMEM, got)).toBe(step + 2);
  });
});
