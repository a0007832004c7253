/**
 * The scratch file O_DIRECT I/O goes to (directIo): an unlinked O_TMPFILE on ext4, in
 * GMEMCHECK_SCRATCH_DIR or the system's temporary directory. The emulator and the harness model
 * ext4's choices (DMA when aligned to 512 bytes, buffered otherwise: GEN-DIO-ALIGN, and EFAULT for
 * a DMA cut short: GEN-DIO-PARTIAL); tmpfs copies instead of pinning the user buffer and other
 * filesystems choose differently, so anywhere else directIo is unsupported with the reason (a SKIP).
 */
import { tmpdir } from 'node:os';
import type { NativeBinding } from './binding.js';

/** statfs f_type of ext4 (include/uapi/linux/magic.h EXT4_SUPER_MAGIC). */
const EXT4_MAGIC = 0xef53;

export const scratchDir = (): string => process.env['GMEMCHECK_SCRATCH_DIR'] ?? tmpdir();

/** An O_DIRECT scratch fd, or why there is none. */
export const openDioScratch = (b: NativeBinding): { readonly fd: number } | { readonly why: string } => {
  const dir = scratchDir();
  const fd = b.dioScratch(dir);
  if (fd < 0) return { why: `no O_DIRECT scratch file in ${dir} (open(O_TMPFILE|O_DIRECT) failed with errno ${-fd}; set GMEMCHECK_SCRATCH_DIR to an ext4 directory)` };
  const magic = b.fstatfs(fd);
  if (magic !== EXT4_MAGIC) {
    b.close(fd);
    return { why: `${dir} is not ext4 (statfs type 0x${magic.toString(16)}): the O_DIRECT model is ext4's (set GMEMCHECK_SCRATCH_DIR to an ext4 directory)` };
  }
  return { fd };
};
