/**
 * Issue 12, defects 4 and 10 (uffd): features are limited to what the single-reader monitor can
 * serve, the wait loop sleeps (it busy-spun, forever, when the uffd it polled reported an error),
 * Ctrl-C ends a process waiting on a userfault, and a helper thread that stays blocked can never
 * store into memory after the op failed (it was detached, and its store landed once the uffd was
 * closed). Loop and signal checks run in a child process, so the old code's hang fails the test
 * instead of wedging the runner.
 */
import { spawn, spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { ADDON_PATH, loadBinding } from '../../../adapters/native/_internals/binding.js';
import { createNativeTarget } from '../../../adapters/native/index.js';
import { BadOpError } from '../../../spec/vocab/errors.js';
import { describeNative, openFds } from './_support.js';
import { PAGE_SIZE as P } from '../../../spec/vocab/index.js';

const MISSING = 1;
const UNSERVABLE = { EVENT_FORK: 1 << 1, EVENT_REMAP: 1 << 2, EVENT_REMOVE: 1 << 3, EVENT_UNMAP: 1 << 6 };

/**
 * A child that blocks a load on a userfault nobody answers: the monitor polls a descriptor that is
 * not open (poll reports POLLNVAL on it at once, every time). It prints "waiting", then the result
 * and how much CPU the wait cost.
 */
const waitChild = (timeoutMs: number): string => `
const b = require(${JSON.stringify(ADDON_PATH)});
const fd = b.memfdCreate(4096n), owner = b.uffdCreate((1 << 5) | (1 << 10));
const addr = b.mmap(fd, 0n, 4096n, 3, true);
if (b.uffdRegister(owner, addr, 4096n, 1) !== 0) throw new Error('register failed');
console.log('waiting');
const t0 = Date.now(), c0 = process.cpuUsage();
const r = b.accessUffd(addr, false, 0, 1000000, 0, 0, ${timeoutMs}, addr, 4096n);
const cpu = process.cpuUsage(c0);
console.log(JSON.stringify({ ms: Date.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, timedOut: r.timedOut === true, stuck: r.stuck }));
b.close(owner);
if (r.stuck !== undefined && !b.reapStuck(r.stuck, 2000)) throw new Error('helper thread did not end');
`;

describeNative('native userfaultfd safety', () => {
  it('features whose events would block the only reader are refused before a uffd exists', async () => {
    const t = await createNativeTarget();
    try {
      const fds = openFds();
      for (const [name, bit] of Object.entries(UNSERVABLE)) {
        await expect(t.apply({ kind: 'uffdCreate', id: bit, features: bit | (1 << 5) }), name).rejects.toBeInstanceOf(BadOpError);
      }
      expect(openFds()).toBe(fds);
      // What the kernel can be asked safely still works, and bits it does not know get its EINVAL.
      expect(await t.apply({ kind: 'uffdCreate', id: 0, features: (1 << 5) | (1 << 10) | (1 << 15) })).toEqual({ kind: 'ok' });
      expect(await t.apply({ kind: 'uffdCreate', id: 1, features: 1 << 30 })).toEqual({ kind: 'errno', errno: 'EINVAL' });
    } finally {
      await t.close();
    }
  });

  it('the wait loop sleeps in poll even when the polled uffd reports an error (no busy-spin, bounded)', () => {
    const r = spawnSync(process.execPath, ['-e', waitChild(300)], { encoding: 'utf8', timeout: 15_000 });
    expect(r.signal, `child killed (hung): ${r.stderr}`).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout.trim().split('\n')[1]!) as { ms: number; cpuMs: number; timedOut: boolean };
    expect(res.timedOut).toBe(true);
    // 300 ms + the grace: well under a second, and asleep nearly all of it.
    expect(res.ms).toBeLessThan(2000);
    expect(res.cpuMs).toBeLessThan(res.ms / 4);
  });

  it('Ctrl-C (SIGINT) and SIGTERM end a process that waits on an unanswered userfault', async () => {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, ['-e', waitChild(60_000)], { stdio: ['ignore', 'pipe', 'pipe'] });
      await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.toString().includes('waiting') && resolve()));
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, s) => resolve(s)));
      child.kill(sig);
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      expect(await exited).toBe(sig);
      clearTimeout(timer);
      expect(Date.now() - t0).toBeLessThan(2000);
    }
  });

  it('a helper thread that stays blocked never stores after the op failed: its page is PROT_NONE, then it is joined', () => {
    const b = loadBinding().binding!;
    const fd = b.memfdCreate(P);
    const owner = b.uffdCreate((1 << 5) | (1 << 10));
    const other = b.uffdCreate(0);
    const addr = b.mmap(fd, 0n, P, 3, true) as bigint;
    expect(b.uffdRegister(owner, addr, P, BigInt(MISSING))).toBe(0);
    // The monitor answers on the wrong uffd, so the store stays blocked past every deadline.
    const r = b.accessUffd(addr, true, 0x5a, other, 0, 0, 100, addr, P);
    expect(r).toMatchObject({ timedOut: true, stuck: expect.any(Number), protNone: addr });
    // Closing the owner wakes the access (as close() of a target does). It must fault, not store.
    b.close(owner);
    expect(b.reapStuck(r.stuck!, 2000)).toBe(true);
    expect(b.stuckCount()).toBe(0);
    expect(b.fileIo(fd, 2, 0n, 1, 0)).toEqual([1, 0]);
    for (const x of [other, fd]) b.close(x);
    b.munmap(addr, P);
  });
});
