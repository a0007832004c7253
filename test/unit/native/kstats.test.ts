/**
 * KVM's binary statistics (LVL-10) on this machine's kernel: KVM_GET_STATS_FD needs no
 * guest_memfd, so the native target asks kvm_pvm for real — the VM and vCPU files, their layout,
 * their end, the refused writes, the page counters with plain memslots (0 on kvm_pvm:
 * obs:finding 1), the vCPU's file after the VM fd closed, dead handles. Each step judged by the spec
 * (linux-6.18-nogmem), and the C reproducer replays the same steps with the same outcomes.
 */
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { linux618NoGmem } from '../../../spec/profiles/index.js';
import { formatOutcome, type Op } from '../../../spec/vocab/index.js';
import { describeNative, ld, map, memfd, runOps, specMismatches, st } from './_support.js';
import { reproAgainstNative } from './_repro-diff.js';

const P = 4096n;
type At = 'end' | 'tail' | 'far' | 'negative';
const stats = (at: At, write: 'write' | 'pwrite' = 'write'): Op => ({ kind: 'kvmStats', on: { kind: 'vm', vm: 0 }, at, write });
const stc = (vcpu: number, at: At, write: 'write' | 'pwrite' = 'pwrite'): Op => ({ kind: 'kvmStats', on: { kind: 'vcpu', vcpu }, at, write });
/** A plain slot over a memfd mapping: the VM has a memslot, so its page counters may count (kvm_pvm's do not). */
const region = (slot: number, pages: bigint): Op => ({
  kind: 'setMemoryRegion', vm: 0, v1: false, slot, flags: 0, gpa: BigInt(slot) << 30n, size: pages * P, uaddr: { kind: 'map', map: 0, offset: 0n }, gmem: { kind: 'notOpen' }, gmemOffset: 0n,
});

const scenario = (): Op[] => [
  { kind: 'createVm', id: 0, type: 0n },
  stats('end'), stats('tail', 'pwrite'), stats('far'), stats('negative', 'pwrite'),
  memfd(0, 4n * P), map(0, 0, 4n * P), st(0, 0n, 9),
  region(0, 4n), stats('end'),
  { kind: 'createVcpu', vm: 0, id: 0, vcpuId: 3n },
  stc(0, 'end'), stc(0, 'tail', 'write'), stc(0, 'negative'),
  { kind: 'closeVm', vm: 0 }, stats('end'), stc(0, 'far'), stc(1, 'end'),
];

/** kpageflags on memfd pages (MAP-41): shared, a second shared and a private mapping, a private copy, mlock, a hole, outside, after munmap. */
const kp = (m: number, offset = 0n): Op => ({ kind: 'kpageFlags', map: m, offset });
const pages = (): Op[] => [
  memfd(0, 4n * P), map(0, 0, 4n * P), kp(0), st(0, 0n, 5), kp(0), map(1, 0, 4n * P), ld(1, 0n), kp(1), kp(0),
  map(2, 0, 4n * P, 3, false), ld(2, 0n), kp(2), st(2, P, 6), kp(2, P), kp(0, P), ld(0, 2n * P), kp(0, 2n * P),
  { kind: 'mlock', map: 0, offset: 0n, length: P, call: 'MLOCK', flags: 0 }, kp(0), { kind: 'mlock', map: 0, offset: 0n, length: P, call: 'MUNLOCK', flags: 0 }, kp(0),
  kp(0, 4n * P), kp(0, -P), kp(0, 1n << 40n), { kind: 'munmap', map: 1 }, kp(1), kp(0),
];

describeNative('KVM binary statistics on this kernel (judged by the spec)', () => {
  it('every step answers as linux-6.18-nogmem allows', async () => {
    const ops = scenario();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    for (const want of ['layout:ok', 'kvm-PID/vcpu-3', 'readAt:4', 'readAt:EINVAL', 'write:EBADF', 'write:ESPIPE', 'errno EBADF', 'pages_4k']) expect(text).toContain(want);
  });

  it('MAP-41: kpageflags of memfd pages answer as linux-6.18-nogmem allows', async () => {
    const ops = pages();
    const observed = await runOps(ops);
    expect(specMismatches(linux618NoGmem, ops, observed)).toEqual([]);
    const text = observed.map(formatOutcome).join('\n');
    for (const want of ['ok null', 'swapbacked', 'anon', 'count:2', 'count:3', 'errno EFAULT']) expect(text).toContain(want);
  });

  it.skipIf(spawnSync('gcc', ['--version']).status !== 0)('the C reproducer observes what the native target does, step by step', { timeout: 60_000 }, async () => {
    for (const [name, ops] of [['kstats', scenario()], ['kpageflags', pages()]] as const) {
      const { diff, exit } = await reproAgainstNative(name, ops, await runOps(ops));
      // LRU is set when the per-CPU add batch drains (MAP-41 allows either): the two processes may
      // see it at different moments; every other flag and the count must agree, and the C program
      // checks its own outcomes against the spec's allowed sets (its exit status).
      const noLru = (line: string): boolean => {
        const m = /native (.*), C (.*)$/.exec(line);
        return m === null || m[1]!.replace(/lru,/g, '') !== m[2]!.replace(/lru,/g, '');
      };
      expect(diff.filter(noLru)).toEqual([]);
      expect(exit).toBe(0);
    }
  });
});
