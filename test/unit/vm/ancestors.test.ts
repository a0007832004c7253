/**
 * The ancestors gmemcheck vm watches: npm's shell and npm when started through npm, nothing
 * otherwise (a detached run is left alone); a process is gone once it exited, even before it is
 * reaped.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { goneAncestor, watchedAncestors } from '../../../cli/vm/ancestors.js';

describe('watched ancestors', () => {
  it('under npm: the parent and its parent; otherwise none', () => {
    expect(watchedAncestors({}, process.pid)).toEqual([]);
    expect(watchedAncestors({ npm_command: 'exec' }, process.pid)).toEqual([process.pid, process.ppid]);
  });

  it('a live process is not gone; an exited one is, reaped or still a zombie; a pid never used is', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const pid = child.pid!;
    expect(goneAncestor([process.pid, pid])).toBeUndefined();
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(goneAncestor([process.pid, pid])).toBe(pid);
    expect(goneAncestor([2 ** 22 + 1])).toBe(2 ** 22 + 1);
  });

  it('a zombie (exited, its parent has not reaped it yet, as npm killed by SIGKILL under a busy shell) is gone', async () => {
    // `sleep 0` exits at once; its parent becomes `sleep 3`, which never reaps it.
    const sh = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 3'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = Number(await new Promise<string>((r) => sh.stdout!.once('data', (d: Buffer) => r(d.toString()))));
    await new Promise((r) => setTimeout(r, 300));
    expect(goneAncestor([pid])).toBe(pid);
    sh.kill('SIGKILL');
  });
});
