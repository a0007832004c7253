/**
 * Round 4's fd and memslot calls on this machine's kernel, through the native target on memfd (the
 * gmem answers rest on kernel source; this host has no guest_memfd): inotify around fallocate
 * (FIO-26). Each step judged by the spec (linux-6.18-nogmem), and the C reproducer replays the
 * same steps with the same outcomes.
 */
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op } from '../../../spec/vocab/index.js';
import { describeNative, runOps, specMismatches } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';

const P = 4096n;
const watch = (mode: number, offset: bigint, len: bigint, fd = 0): Op => ({ kind: 'fdWatch', fd, mode, offset, len });

const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 3n * P },
  // inotify around fallocate: a pseudo file queues nothing, whether the call succeeds or not.
  watch(0, 0n, P), watch(3, 0n, P), watch(1, 8n * P, P), watch(0, -1n, P), watch(0x100, 0n, P), watch(0, 0n, 0n),
  { kind: 'close', fd: 0 }, watch(0, 0n, P),
];

describeNative('round 4 fd and memslot calls on this kernel (memfd, judged by the spec)', () => {
  it('every step answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    for (const want of ['events:0', 'errno EINVAL', 'errno EOPNOTSUPP', 'errno EBADF']) expect(text).toContain(want);
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('kvmfd', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });
});
