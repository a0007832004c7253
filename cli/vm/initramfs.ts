/**
 * The initramfs of one `gmemcheck vm` run, as concatenated newc archives (the kernel unpacks them
 * in order): busybox and the decompressed modules, then the project bundle and the addon, then
 * this run's /init and job.json. Nothing is compressed: QEMU hands the file to the guest in
 * memory, and unpacking plain cpio is cheaper than inflating it under emulation.
 */
import { cpioArchive, type CpioEntry } from './cpio.js';
import type { ResolvedModule } from './modules.js';
import type { GuestTree } from './bundle.js';
import { initScript, type InitParams } from './init-script.js';
import type { Job } from './job.js';

export interface InitramfsParts {
  readonly busybox: Buffer;
  readonly modules: readonly ResolvedModule[];
  readonly tree: GuestTree;
  readonly init: Omit<InitParams, 'modules'>;
  readonly job: Job;
}

export const initramfs = (p: InitramfsParts): Buffer => {
  const base: CpioEntry[] = [
    ...['bin', 'dev', 'proc', 'sys', 'newroot', 'gmemcheck', 'gmemcheck/modules'].map((d): CpioEntry => ({ kind: 'dir', path: d })),
    { kind: 'file', path: 'bin/busybox', data: p.busybox, mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    ...p.modules.map((m): CpioEntry => ({ kind: 'file', path: `gmemcheck/modules/${m.name}.ko`, data: m.data })),
  ];
  const tree: CpioEntry[] = [
    { kind: 'file', path: 'gmemcheck/guest.mjs', data: p.tree.bundle },
    { kind: 'file', path: 'gmemcheck/gmemcheck_native.node', data: p.tree.addon, mode: 0o755 },
  ];
  const run: CpioEntry[] = [
    { kind: 'file', path: 'init', data: Buffer.from(initScript({ ...p.init, modules: p.modules.map((m) => m.name) })), mode: 0o755 },
    { kind: 'file', path: 'gmemcheck/job.json', data: Buffer.from(JSON.stringify(p.job)) },
  ];
  return Buffer.concat([cpioArchive(base), cpioArchive(tree), cpioArchive(run)]);
};
