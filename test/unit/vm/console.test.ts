import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstReport, initEvent, kernelReport, stripTimestamp } from '../../../cli/vm/console.js';

const fixture = (n: string) => readFileSync(new URL(`./fixtures/${n}`, import.meta.url), 'utf8');

describe('guest console', () => {
  it('a clean boot (recorded from Debian 7.2.13 under TCG) has no kernel report; its init lines are events', () => {
    const log = fixture('console-clean.log');
    expect(firstReport(log)).toBeUndefined();
    const events = log.split('\n').map(initEvent).filter((e) => e !== undefined);
    expect(events).toEqual([
      { kind: 'stage', stage: 'modules', uptime: 2 }, { kind: 'kvm', module: 'kvm_amd' },
      { kind: 'stage', stage: 'mount', uptime: 3.14 }, { kind: 'stage', stage: 'run', uptime: 3.27 }, { kind: 'exit', code: 0 },
    ]);
  });

  it('a panic (recorded: sysrq crash during a run) is a report, with its call trace as the excerpt', () => {
    const r = firstReport(fixture('console-panic.log'))!;
    expect(r.title).toBe('Kernel panic - not syncing: sysrq triggered crash');
    expect(r.excerpt).toMatch(/Call Trace:[\s\S]*write_sysrq_trigger/);
  });

  it('a WARN is a report; its excerpt starts at "cut here"; a debugfs duplicate-directory notice is not', () => {
    const r = firstReport(fixture('console-warn.log'))!;
    expect(r.title).toBe('WARNING: CPU: 1 PID: 131 at virt/kvm/guest_memfd.c:402 kvm_gmem_fallocate+0x1a2/0x1f0 [kvm]');
    expect(r.excerpt.split('\n')[0]).toContain('cut here');
    expect(kernelReport('[   19.930416] KVM: debugfs: duplicate directory 130-22')).toBeUndefined();
  });

  it('knows the other report kinds and ignores look-alikes', () => {
    const reports = [
      'BUG: unable to handle page fault for address: ffffc90000000000', 'kernel BUG at mm/filemap.c:1234!', 'Oops: general protection fault, probably for non-canonical address',
      'general protection fault, probably for non-canonical address 0xdead', 'watchdog: BUG: soft lockup - CPU#1 stuck for 22s! [node:131]',
      'INFO: task node:131 blocked for more than 120 seconds.', 'UBSAN: shift-out-of-bounds in virt/kvm/guest_memfd.c:10:5', 'KASAN: use-after-free in kvm_gmem_release',
      'list_add corruption. next->prev should be prev', 'refcount_t: underflow; use-after-free.', 'rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:',
    ];
    for (const r of reports) expect(kernelReport(`[  12.000001] ${r}`), r).toBe(r);
    for (const ok of ['gmemcheck-init: stage run 3.1', 'Run /init as init process', 'node: WARNING: this is userland text', 'BUGS: none'])
      expect(kernelReport(ok), ok).toBeUndefined();
    expect(stripTimestamp('[ 1.5] [  T131] BUG: x\r')).toBe('BUG: x');
  });

  it('reads init errors, warnings and exit codes', () => {
    expect(initEvent('gmemcheck-init: error: cannot mount the host root over virtio-9p')).toEqual({ kind: 'error', message: 'cannot mount the host root over virtio-9p' });
    expect(initEvent('gmemcheck-init: warning: insmod 9p failed')).toEqual({ kind: 'warning', message: 'insmod 9p failed' });
    expect(initEvent('gmemcheck-init: exit 3')).toEqual({ kind: 'exit', code: 3 });
    expect(initEvent('gmemcheck-init: something else')).toBeUndefined();
  });
});
