/**
 * Round 4's fd and memslot calls on this machine's kernel, through the native target on memfd (the
 * gmem answers rest on kernel source; this host has no guest_memfd): inotify around fallocate
 * (FIO-26), the exec check (LIFE-15), the dirty-log ioctls on plain slots (SLOT-26: a gmem slot answers as a plain slot
 * without LOG_DIRTY_PAGES does, ENOENT). Each step judged by the spec (linux-6.18-nogmem), and the C reproducer replays the
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

const chmod = (mode: number): Op => ({ kind: 'fdMeta', fd: 0, call: 'fchmod', mode });
const dl = (call: 'get' | 'clear', slot: number, firstPage = 0n, numPages = 0): Op => ({ kind: 'dirtyLog', vm: 0, call, slot, firstPage, numPages });
/** A plain slot (uaddr NULL: the kernel does not look at the pages) of `pages` pages at slot * 1 GiB. */
const region = (slot: number, id: number, pages: bigint, flags = 0): Op => ({
  kind: 'setMemoryRegion', vm: 0, v1: false, slot, flags, gpa: BigInt(id) << 30n, size: pages * P, uaddr: { kind: 'null' }, gmem: { kind: 'notOpen' }, gmemOffset: 0n,
});

const scenario = (): Op[] => [
  { kind: 'createMemfd', id: 0, size: 3n * P },
  // inotify around fallocate: a pseudo file queues nothing, whether the call succeeds or not.
  watch(0, 0n, P), watch(3, 0n, P), watch(1, 8n * P, P), watch(0, -1n, P), watch(0x100, 0n, P), watch(0, 0n, 0n),
  // The exec check (LIFE-15): a memfd's mode decides (root: any x bit); gmem's noexec mount refuses (EACCES, emulator and spec).
  { kind: 'fdExecCheck', fd: 0 }, chmod(0), { kind: 'fdExecCheck', fd: 0 }, chmod(0o100), { kind: 'fdExecCheck', fd: 0 }, chmod(0o010), { kind: 'fdExecCheck', fd: 0 }, chmod(0o4777),
  { kind: 'close', fd: 0 }, watch(0, 0n, P), { kind: 'fdExecCheck', fd: 0 },
  // The dirty-log ioctls (SLOT-26): no slot, a plain slot without and with LOG_DIRTY_PAGES (100
  // pages: the last word is partial), CLEAR's word alignment and range, bad slot numbers, a dead VM.
  { kind: 'createVm', id: 0, type: 0n },
  dl('get', 0), dl('clear', 0, 0n, 64),
  region(0, 0, 100n), dl('get', 0), dl('clear', 0, 0n, 64),
  region(1, 1, 100n, 1), region(2, 2, 1n, 1),
  dl('get', 1), dl('get', 2), dl('clear', 1, 0n, 64), dl('clear', 1, 64n, 36), dl('clear', 1, 0n, 100), dl('clear', 1, 0n, 0),
  dl('clear', 1, 1n, 1), dl('clear', 1, 0n, 1), dl('clear', 1, 64n, 37), dl('clear', 1, 128n, 0), dl('clear', 1, 64n, 2 ** 32 - 1), dl('clear', 1, 1n << 63n, 0), dl('clear', 2, 0n, 1),
  dl('get', 1 << 16), dl('clear', 1 << 16, 0n, 1), dl('get', 32764), dl('get', 32763), dl('get', 2 ** 32 - 1), dl('clear', 2 ** 32 - 1, 1n, 1),
  region(1, 1, 0n, 1), dl('get', 1),
  { kind: 'closeVm', vm: 0 }, dl('get', 0), dl('clear', 0, 1n, 0),
];

describeNative('round 4 fd and memslot calls on this kernel (memfd, judged by the spec)', () => {
  it('every step answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    for (const want of ['events:0', 'errno EINVAL', 'errno EOPNOTSUPP', 'errno EBADF', 'errno ENOENT', 'errno EACCES']) expect(text).toContain(want);
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    const ops = scenario();
    const { diff, exit } = await reproAgainstNative('kvmfd', ops, await runOps(ops));
    expect(diff).toEqual([]);
    expect(exit).toBe(0);
  });
});
