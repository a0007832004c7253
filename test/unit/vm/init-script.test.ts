import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { initScript, shq } from '../../../cli/vm/init-script.js';

const base = { cwd: '/home/dev/gmemcheck', node: '/usr/bin/node', modules: ['netfs', '9pnet', '9pnet_virtio', '9p', 'kvm', 'kvm_amd', 'kvm_intel'] };

describe('guest /init', () => {
  it('quotes any value so the shell sees it verbatim', () => {
    for (const s of ["plain", "it's", "a b\tc", '$(rm -rf /)', '`x`', '"q"', '\\', '\n', '']) {
      expect(execFileSync('sh', ['-c', `printf %s ${shq(s)}`], { encoding: 'utf8' })).toBe(s);
    }
    expect(() => shq('a\0b')).toThrow();
  });

  it('mounts the host root read-only and the working directory read-write at its own path, then runs node in a chroot', () => {
    const s = initScript({ ...base, cwd: "/tmp/it's here", nodeArgs: ['--max-semi-space-size=16'] });
    expect(s.startsWith('#!/bin/busybox sh\n')).toBe(true);
    expect(s).toMatch(/mount -t 9p -o trans=virtio,version=9p2000\.L,msize=\d+,ro,cache=loose hostroot \/newroot/);
    expect(s).toContain(`mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 hostcwd /newroot'/tmp/it'\\''s here'`);
    for (const d of ['tmp', 'run', 'var/tmp']) expect(s).toContain(d);
    expect(s).toContain("chroot /newroot /usr/bin/env -i $SCRATCH_ENV HOME=/tmp PATH=/usr/local/bin:/usr/bin:/bin TERM='dumb' '/usr/bin/node' '--max-semi-space-size=16' /run/gmemcheck/guest.mjs /run/gmemcheck/job.json");
    expect(s.trimEnd().endsWith('reboot -f')).toBe(true);
  });

  it('loads the modules in order and tries the vendor KVM modules until one loads', () => {
    const s = initScript(base);
    expect(s).toContain('for m in netfs 9pnet 9pnet_virtio 9p kvm; do');
    expect(s).toContain('for m in kvm_amd kvm_intel; do');
    expect(s).toContain('say "kvm $KVM_MODULE"');
  });

  it('mounts the ext4 scratch disk for O_DIRECT only when one is attached, and hands its directory to the guest', () => {
    const without = initScript(base);
    expect(without).not.toContain('/dev/vda');
    expect(without).toContain('SCRATCH_ENV=\nsay "stage run');
    const s = initScript({ ...base, scratchDisk: true });
    expect(s).toContain('mount -t ext4 /dev/vda /newroot/var/tmp/gmemcheck-dio');
    expect(s).toContain('SCRATCH_ENV=GMEMCHECK_SCRATCH_DIR=/var/tmp/gmemcheck-dio');
    // after /var/tmp's tmpfs, or the tmpfs would hide it
    expect(s.indexOf('mount -t ext4')).toBeGreaterThan(s.indexOf('mount -t tmpfs -o mode=1777 tmpfs /newroot/$d'));
    expect(execFileSync('sh', ['-n', '-c', s])).toBeDefined();
  });

  it('refuses inputs it cannot mount or run safely', () => {
    expect(() => initScript({ ...base, cwd: '/' })).toThrow(/other than \//);
    expect(() => initScript({ ...base, cwd: 'rel/dir' })).toThrow(/absolute/);
    expect(() => initScript({ ...base, node: 'node' })).toThrow(/absolute/);
    expect(() => initScript({ ...base, modules: ['kvm; reboot'] })).toThrow(/bad module name/);
  });
});
