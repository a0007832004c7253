/**
 * The VM section of `npm run bench`: `gmemcheck vm --kernel debian` run as a user runs it, timed
 * from the outside: preparation (cache, bundle, initramfs) until QEMU starts, QEMU start to the
 * guest's first command, QEMU start to the first op, and spec-checked ops per second of the run's
 * domains (the sum of their wall times, from the run's own summary). Once with multi-threaded TCG
 * (the default, one VM held open in the guest against the static-key oops) and once with
 * thread=single, the other workaround, on the same workload.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/gmemcheck.mjs');

export interface VmBench {
  readonly ok: boolean;
  readonly reason?: string;
  readonly accel: string;
  readonly release?: string;
  readonly prepS?: number;
  readonly toGuestS?: number;
  readonly toFirstOpS?: number;
  readonly ops: number;
  readonly domainSeconds: number;
  readonly opsPerSec: number;
}

export const vmThroughput = (accel: 'tcg' | 'tcg-single', runs = 60): Promise<VmBench> => new Promise((resolve) => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'gmc-bench-vm-'));
  const t0 = Date.now();
  let prepS: number | undefined;
  let err = '';
  let out = '';
  const child = spawn(process.execPath, [BIN, 'vm', '--kernel', 'debian', '--accel', accel, '--', 'run', '--domain', 'fileops,memslot,guest,mixed', '--runs', String(runs), '--seed', '1'],
    { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (prepS === undefined && /vm: booting/.test(err)) prepS = (Date.now() - t0) / 1000;
  });
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.on('exit', (code) => {
    const num = (re: RegExp, s: string): number | undefined => { const m = re.exec(s); return m ? Number(m[1]) : undefined; };
    let ops = 0;
    let secs = 0;
    // Each domain's line comes twice, when it ends and in the summary: read the summary only.
    const summary = out.slice(Math.max(0, out.indexOf('== summary ==')));
    for (const m of summary.matchAll(/^PASS\s+\S+\s+\d+ sequences, (\d+) ops checked, \d+ rules, ([\d.]+)s/gm)) {
      ops += Number(m[1]);
      secs += Number(m[2]);
    }
    const toGuestS = num(/, ([\d.]+) s from QEMU start to the first guest command/, err);
    const toFirstOpS = num(/first op ([\d.]+) s after QEMU start/, err);
    resolve({
      ok: code === 0, ...(code === 0 ? {} : { reason: `exit ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}` }),
      accel, release: /guest kernel (\S+) up/.exec(err)?.[1], prepS, toGuestS, toFirstOpS,
      ops, domainSeconds: secs, opsPerSec: secs > 0 ? ops / secs : 0,
    } as VmBench);
  });
});
