/**
 * The guest's O_DIRECT scratch disk. directIo writes to and reads from an ext4 file (the model of
 * which I/O is DMA and which is buffered is ext4's: adapters/native/_internals/scratch.ts), and
 * the guest's /tmp is tmpfs, so without a disk the O_DIRECT rules (MAP-32, GEN-DIO-*) were never
 * reached in the VM. The host makes an empty ext4 image in the run directory with mke2fs (e2fsprogs),
 * QEMU attaches it as a virtio-blk disk, and the guest's init mounts it (./init-script.ts). Where
 * the host has no mke2fs the run goes on without it and says so: directIo then SKIPs in the guest
 * with its reason.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, closeSync, openSync, ftruncateSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Big enough for the directIo scratch file (a few MiB at most), small enough to make in a blink. */
export const SCRATCH_DISK_BYTES = 64 * 1024 * 1024;

/** Where the guest mounts it, inside the guest's /var/tmp (a tmpfs the init script mounts first). */
export const GUEST_SCRATCH_DIR = '/var/tmp/gmemcheck-dio';

/** mke2fs on PATH or in the sbin directories a non-login shell may lack. */
export const findMke2fs = (env: NodeJS.ProcessEnv = process.env): string | undefined => {
  const dirs = [...(env['PATH'] ?? '').split(':').filter(Boolean), '/usr/sbin', '/sbin'];
  for (const d of dirs) {
    const p = path.join(d, 'mke2fs');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* next */ }
  }
  return undefined;
};

/** An empty ext4 image at `file`, or why there is none. */
export const makeScratchDisk = async (file: string, mke2fs: string | undefined): Promise<{ readonly disk: string } | { readonly why: string }> => {
  if (mke2fs === undefined) return { why: 'no mke2fs on this host (e2fsprogs): directIo SKIPs in the guest' };
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, SCRATCH_DISK_BYTES);
  } finally {
    closeSync(fd);
  }
  try {
    // No journal: nothing here must survive a crash, and the image is made per run.
    await run(mke2fs, ['-q', '-F', '-t', 'ext4', '-O', '^has_journal', '-E', 'root_owner=0:0', file]);
    return { disk: file };
  } catch (e) {
    return { why: `mke2fs failed on ${file}: ${(e as Error).message.split('\n')[0]}` };
  }
};
