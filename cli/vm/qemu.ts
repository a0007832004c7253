/**
 * The QEMU command line of `gmemcheck vm`, as a pure function of its inputs (unit-tested), and the
 * search for the binary. No network device: the guest's results come back through a
 * virtio-serial port written to a host file (./frames.ts) and the read-write 9p share of the
 * working directory; the kernel console goes to another host file (./console.ts).
 */
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import type { Accel } from './accel.js';
import { FLIGHT_BYTES } from './flight.js';

export interface QemuParams {
  readonly binary: string;
  readonly accel: Accel;
  readonly kernel: string;
  readonly initrd: string;
  readonly cpus: number;
  readonly memoryMiB: number;
  /** Host file the serial console is written to. */
  readonly consoleFile: string;
  /** Host file the guest's control port (frames) is written to. */
  readonly controlFile: string;
  /** Host directory shared read-write at the same path in the guest (the working directory). */
  readonly cwd: string;
  /** Host file backing the guest's flight recorder (ivshmem device memory, ./flight.ts). */
  readonly flightFile: string;
  /** Extra kernel command line words (e.g. from --append). */
  readonly append?: readonly string[];
  /** An ext4 image attached as a virtio-blk disk, the guest's O_DIRECT scratch (./scratch-disk.ts). */
  readonly scratchDisk?: string;
}

/** The virtio-serial port's name; the guest finds it under /sys/class/virtio-ports. */
export const CONTROL_PORT = 'gmemcheck.control';

/**
 * Kernel command line: console on the first serial port, WARNING and worse printed (a WARN is a
 * finding), reboot at once on panic. Two speed-ups that change nothing guest_memfd does, measured
 * under TCG here (KVM_CREATE_VM + close in the guest: 17 ms as booted, 5.5 ms with debugfs=off,
 * 0.7 ms with both): no per-VM debugfs directory (KVM creates a file per statistic for every VM),
 * and no CPU vulnerability mitigations (emulated barriers and MSR writes on every VM teardown and
 * kernel entry). `--append` can turn either back on (the last setting wins).
 */
export const kernelCmdline = (extra: readonly string[] = []): string =>
  ['console=ttyS0', 'loglevel=5', 'panic=-1', 'rdinit=/init', 'debugfs=off', 'mitigations=off', ...extra].join(' ');

/** QEMU's -chardev/-fsdev option values are comma-separated: a comma in a path is written twice. */
export const optValue = (s: string): string => s.replace(/,/g, ',,');

export const qemuArgs = (p: QemuParams): string[] => {
  const accel = p.accel.kind === 'kvm' ? ['-accel', 'kvm', '-cpu', 'host'] : ['-accel', `tcg,thread=${p.accel.thread}`, '-cpu', 'max'];
  return [
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    ...accel,
    '-smp', String(p.cpus), '-m', `${p.memoryMiB}M`,
    '-kernel', p.kernel, '-initrd', p.initrd, '-append', kernelCmdline(p.append),
    '-chardev', `file,id=console,path=${optValue(p.consoleFile)}`, '-serial', 'chardev:console',
    '-device', 'virtio-serial-pci,id=vser',
    '-chardev', `file,id=control,path=${optValue(p.controlFile)}`,
    '-device', `virtserialport,bus=vser.0,chardev=control,name=${CONTROL_PORT}`,
    '-fsdev', 'local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap',
    '-device', 'virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot',
    '-fsdev', `local,id=hostcwd,path=${optValue(p.cwd)},security_model=none,multidevs=remap`,
    '-device', 'virtio-9p-pci,fsdev=hostcwd,mount_tag=hostcwd',
    '-object', `memory-backend-file,id=flight,share=on,mem-path=${optValue(p.flightFile)},size=${FLIGHT_BYTES}`,
    '-device', 'ivshmem-plain,memdev=flight',
    // cache=unsafe: the image is thrown away after the run, so the host need not flush it; the
    // guest's O_DIRECT still goes to the virtio-blk device, which is what the rules are about.
    ...(p.scratchDisk !== undefined
      ? ['-drive', `file=${optValue(p.scratchDisk)},if=none,id=scratch,format=raw,cache=unsafe`, '-device', 'virtio-blk-pci,drive=scratch']
      : []),
  ];
};

const executable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** qemu-system-x86_64 on PATH (or $GMEMCHECK_QEMU), or undefined. */
export const findQemu = (env: NodeJS.ProcessEnv = process.env): string | undefined => {
  const own = env['GMEMCHECK_QEMU'];
  if (own) return executable(own) ? own : undefined;
  for (const dir of (env['PATH'] ?? '/usr/bin:/bin').split(':').filter(Boolean)) {
    const p = path.join(dir, 'qemu-system-x86_64');
    if (executable(p)) return p;
  }
  return undefined;
};

/** One line: how to get QEMU (the message of the exit-3 error when it is missing). */
export const QEMU_MISSING =
  'qemu-system-x86_64 not found: install it (Debian/Ubuntu: apt-get install --no-install-recommends qemu-system-x86; Fedora: dnf install qemu-system-x86) or set GMEMCHECK_QEMU=/path/to/qemu-system-x86_64';
