import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findQemu, kernelCmdline, optValue, qemuArgs, type QemuParams } from '../../../cli/vm/qemu.js';
import { FLIGHT_BYTES } from '../../../cli/vm/flight.js';

const params = (over: Partial<QemuParams> = {}): QemuParams => ({
  binary: '/usr/bin/qemu-system-x86_64', accel: { kind: 'tcg', thread: 'multi', why: 'test' }, kernel: '/k/vmlinuz', initrd: '/r/initrd.cpio',
  cpus: 2, memoryMiB: 2048, consoleFile: '/r/console.log', controlFile: '/r/control.jsonl', cwd: '/home/dev/gm', flightFile: '/r/flight.bin', ...over,
});
const after = (args: string[], flag: string): string[] => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

describe('QEMU command line', () => {
  it('TCG: -cpu max (nested SVM), the thread mode asked for; KVM: -cpu host', () => {
    const tcg = qemuArgs(params());
    expect(after(tcg, '-accel')).toEqual(['tcg,thread=multi']);
    expect(after(tcg, '-cpu')).toEqual(['max']);
    expect(after(qemuArgs(params({ accel: { kind: 'tcg', thread: 'single', why: '' } })), '-accel')).toEqual(['tcg,thread=single']);
    const kvm = qemuArgs(params({ accel: { kind: 'kvm', why: '' } }));
    expect(after(kvm, '-accel')).toEqual(['kvm']);
    expect(after(kvm, '-cpu')).toEqual(['host']);
  });

  it('has no network device and no default devices; quits instead of rebooting', () => {
    const a = qemuArgs(params());
    expect(a).toContain('-nodefaults');
    expect(a).toContain('-no-reboot');
    expect(a.some((x) => /^-(net|netdev|nic)$/.test(x) || /virtio-net|e1000/.test(x))).toBe(false);
  });

  it('shares / read-only and the working directory read-write over 9p, the console and control port to files, ivshmem for the flight recorder', () => {
    const a = qemuArgs(params({ cwd: '/home/a,b' }));
    const fsdev = after(a, '-fsdev');
    expect(fsdev[0]).toBe('local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap');
    expect(fsdev[1]).toBe('local,id=hostcwd,path=/home/a,,b,security_model=none,multidevs=remap');
    expect(after(a, '-chardev')).toEqual(['file,id=console,path=/r/console.log', 'file,id=control,path=/r/control.jsonl']);
    expect(after(a, '-serial')).toEqual(['chardev:console']);
    expect(after(a, '-object')).toEqual([`memory-backend-file,id=flight,share=on,mem-path=/r/flight.bin,size=${FLIGHT_BYTES}`]);
    expect(after(a, '-device')).toContain('ivshmem-plain,memdev=flight');
    expect(after(a, '-device')).toContain('virtserialport,bus=vser.0,chardev=control,name=gmemcheck.control');
  });

  it('attaches the O_DIRECT scratch image as a virtio-blk disk only when there is one', () => {
    expect(qemuArgs(params()).some((x) => /virtio-blk|-drive/.test(x))).toBe(false);
    const a = qemuArgs(params({ scratchDisk: '/r/scr,atch.ext4' }));
    expect(after(a, '-drive')).toEqual(['file=/r/scr,,atch.ext4,if=none,id=scratch,format=raw,cache=unsafe']);
    expect(after(a, '-device')).toContain('virtio-blk-pci,drive=scratch');
  });

  it('the kernel command line: serial console, warnings shown, reboot on panic, the speed-ups, then --append', () => {
    expect(kernelCmdline(['foo=1'])).toBe('console=ttyS0 loglevel=5 panic=-1 rdinit=/init debugfs=off mitigations=off foo=1');
    expect(optValue('a,b,,c')).toBe('a,,b,,,,c');
  });

  it('finds qemu-system-x86_64 on PATH or through GMEMCHECK_QEMU, and says nothing exists otherwise', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-qemu-'));
    const bin = path.join(dir, 'qemu-system-x86_64');
    writeFileSync(bin, '#!/bin/sh\n');
    chmodSync(bin, 0o755);
    expect(findQemu({ PATH: `/nonexistent:${dir}` })).toBe(bin);
    expect(findQemu({ PATH: '/nonexistent' })).toBeUndefined();
    expect(findQemu({ PATH: '/nonexistent', GMEMCHECK_QEMU: bin })).toBe(bin);
    expect(findQemu({ PATH: dir, GMEMCHECK_QEMU: '/nope' })).toBeUndefined();
  });
});
