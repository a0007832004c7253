/**
 * UFFDIO_MOVE on this machine's kernel (UFD-23), through the native target on memfd, each step
 * judged by the spec (linux-6.18-nogmem): a file mapping never moves — shared or private,
 * registered or not, with the MOVE feature or without — and the argument checks come first. The
 * gmem answer is the same refusal (a gmem VMA is always shared): test/unit/spec/uffd-move.test.ts.
 * docs/probe-records/linux-6.18.44-nogmem-child.md (UFM-01) restates what this measures.
 */
import { expect, it } from 'vitest';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { err } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { moveScenario } from './_child-scenario.js';

describeNative('UFFDIO_MOVE on this kernel (memfd, judged by the spec)', () => {
  it('every move of a file mapping is refused as linux-6.18-nogmem allows', async () => {
    const ops = moveScenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    // The refusals really came from the kernel: EINVAL for the file VMAs, ENOENT far away, EBADF on a closed uffd.
    expect(observed.slice(6, 11)).toEqual(Array(5).fill(err('EINVAL')));
    expect(observed).toContainEqual(err('ENOENT'));
    expect(observed).toContainEqual(err('EBADF'));
  });
});
