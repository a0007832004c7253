import { mkdtempSync, openSync, readSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findMke2fs, makeScratchDisk, SCRATCH_DISK_BYTES } from '../../../cli/vm/scratch-disk.js';

/** The ext2/3/4 superblock magic, at byte 1024 + 0x38 of the image (include/uapi/linux/magic.h EXT4_SUPER_MAGIC). */
const superMagic = (file: string): number => {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    readSync(fd, b, 0, 2, 1024 + 0x38);
    return b.readUInt16LE(0);
  } finally {
    closeSync(fd);
  }
};

describe('the O_DIRECT scratch disk of gmemcheck vm', () => {
  const mke2fs = findMke2fs();
  it.skipIf(mke2fs === undefined)('is an ext4 image of the set size (skipped without mke2fs on the host)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-scratch-'));
    try {
      const r = await makeScratchDisk(path.join(dir, 'scratch.ext4'), mke2fs);
      expect(r).toEqual({ disk: path.join(dir, 'scratch.ext4') });
      expect(statSync(path.join(dir, 'scratch.ext4')).size).toBe(SCRATCH_DISK_BYTES);
      expect(superMagic(path.join(dir, 'scratch.ext4'))).toBe(0xef53);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why there is none when the host lacks mke2fs or it fails, and the run goes on', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gmc-scratch-'));
    try {
      expect(await makeScratchDisk(path.join(dir, 'a.ext4'), undefined)).toEqual({ why: expect.stringMatching(/no mke2fs/) });
      expect(await makeScratchDisk(path.join(dir, 'b.ext4'), '/bin/false')).toEqual({ why: expect.stringMatching(/mke2fs failed/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
