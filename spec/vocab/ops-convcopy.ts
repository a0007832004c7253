/**
 * copy_file_range between two files of the sequence (issue 15, round 5; docs/kernel-surface.md row
 * B24): within one file or between two, gmem or memfd. `spliceLike`'s copyOut/copyIn reach only a
 * scratch memfd of the target (another superblock than gmem); this op names both ends, so the
 * same-superblock paths are reached: the EOF cut, the overlap check, the splice fallback (gmem:
 * EINVAL; memfd: a byte copy). Declared here and spread into ./ops.ts's OPS.
 *
 * Bounds (validated once by ./validate.ts from these fields): len is at most FD_IO_MAX_BYTES, so a
 * copy allocates at most 16 pages of the destination (charged like a write of that length).
 */
import { handle, i64, count, u32, type Fields } from './field.js';
import type { Footprint, OpDecl } from './ops.js';
import { FD_IO_MAX_BYTES } from './ops-fd.js';

const decl = <const F extends Fields>(d: OpDecl<F>): OpDecl<F> => d;
const fd = handle('fd');

export const CONVCOPY_OPS = {
  copyRange: decl({
    doc: 'copy_file_range(src, &srcOff, dst, &dstOff, len, flags) between two fds of the sequence (the same file allowed); an offset −1 passes NULL (the file position, moved by the count): ok { count }',
    fields: { src: fd, dst: fd, srcOff: i64(), dstOff: i64(), len: count(FD_IO_MAX_BYTES), flags: u32('hex') },
    // The written pages are what a copy changes; a NULL output offset names no fixed page.
    footprint: (o): Footprint | undefined => (o.dstOff < 0n ? undefined : { fd: o.dst, offset: o.dstOff, len: BigInt(o.len) }),
  }),
} as const;
